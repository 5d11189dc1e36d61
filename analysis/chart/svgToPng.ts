/** Simple version until issue #3 lands (no font, so text is not drawn yet). */
import { Resvg } from '@resvg/resvg-js';

export function svgToPng(svg: string): Uint8Array {
  return new Resvg(svg).render().asPng();
}
