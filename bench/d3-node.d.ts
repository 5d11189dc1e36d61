/** d3-node ships no types: the part of its API the benchmark uses (its `d3` is d3 7's bundle of these modules). */
declare module 'd3-node' {
  import type { extent, max } from 'd3-array';
  import type { axisBottom, axisRight } from 'd3-axis';
  import type { scaleBand, scaleLinear } from 'd3-scale';
  import type { Selection } from 'd3-selection';
  import type { line } from 'd3-shape';
  import type { utcFormat } from 'd3-time-format';

  export class D3Node {
    readonly d3: {
      axisBottom: typeof axisBottom;
      axisRight: typeof axisRight;
      extent: typeof extent;
      line: typeof line;
      max: typeof max;
      scaleBand: typeof scaleBand;
      scaleLinear: typeof scaleLinear;
      utcFormat: typeof utcFormat;
    };
    createSVG(width: number, height: number): Selection<SVGSVGElement, unknown, null, undefined>;
    svgString(): string;
  }
}
