/** Just enough SVG markup for the chart: elements with escaped attributes and text. */

/** `text` with the five XML special characters replaced by entities, safe in content and attributes. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Attribute values; numbers are written as given, so callers round them first. */
export type Attributes = Readonly<Record<string, string | number>>;

/**
 * One element: self-closing without `children`, otherwise wrapping them. Attribute values are escaped;
 * `children` are markup, so text must go through {@link escapeXml} (or {@link textElement}) first.
 */
export function element(name: string, attributes: Attributes, children?: readonly string[]): string {
  const attributeText = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');
  return children === undefined
    ? `<${name}${attributeText}/>`
    : `<${name}${attributeText}>${children.join('')}</${name}>`;
}

/**
 * A container element (`svg`, `g`) with one child per line, so a committed chart diffs line by line.
 * `children` are markup, as for {@link element}.
 */
export function container(name: string, attributes: Attributes, children: readonly string[]): string {
  return element(name, attributes, ['\n', children.join('\n'), '\n']);
}

/** A `<text>` element holding `text`, escaped. */
export function textElement(attributes: Attributes, text: string): string {
  return element('text', attributes, [escapeXml(text)]);
}

/** `value` rounded to a tenth of a pixel, the precision the chart writes coordinates with. */
export function px(value: number): number {
  return Math.round(value * 10) / 10;
}
