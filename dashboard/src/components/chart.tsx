import type { FindingStats } from '../api.ts';

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 12, right: 12, bottom: 28, left: 36 };

/**
 * New vs resolved findings per day as grouped bars in inline SVG (no chart library). The numbers
 * are also in a table for screen readers and for anyone who wants the figures.
 */
export function OpenedResolvedChart({ series }: { series: FindingStats['series'] }) {
  const max = Math.max(1, ...series.map((d) => Math.max(d.opened, d.resolved)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, series.length);
  const bar = Math.max(1, slot / 2 - 1);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const ticks = [0, Math.ceil(max / 2), max];
  const labelEvery = Math.ceil(series.length / 6);
  const total = series.reduce((acc, d) => ({ opened: acc.opened + d.opened, resolved: acc.resolved + d.resolved }), { opened: 0, resolved: 0 });
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="chart-title" preserveAspectRatio="none">
        <title id="chart-title">{`New and resolved findings per day over ${series.length} days: ${total.opened} new, ${total.resolved} resolved`}</title>
        {ticks.map((t) => (
          <g key={t}>
            <line class="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} />
            <text class="axis" x={PAD.left - 6} y={y(t) + 4} text-anchor="end">
              {t}
            </text>
          </g>
        ))}
        {series.map((d, i) => {
          const x = PAD.left + i * slot;
          return (
            <g key={d.day}>
              <rect class="bar-opened" x={x} y={y(d.opened)} width={bar} height={PAD.top + plotH - y(d.opened)}>
                <title>{`${d.day}: ${d.opened} new`}</title>
              </rect>
              <rect class="bar-resolved" x={x + bar + 1} y={y(d.resolved)} width={bar} height={PAD.top + plotH - y(d.resolved)}>
                <title>{`${d.day}: ${d.resolved} resolved`}</title>
              </rect>
              {i % labelEvery === 0 && (
                <text class="axis" x={x + bar} y={HEIGHT - 8} text-anchor="middle">
                  {d.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span class="key key-opened" aria-hidden="true" /> new ({total.opened}) <span class="key key-resolved" aria-hidden="true" /> resolved ({total.resolved}), last {series.length} days
      </figcaption>
      <details>
        <summary>Figures per day</summary>
        <table class="compact">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">New</th>
              <th scope="col">Resolved</th>
            </tr>
          </thead>
          <tbody>
            {series.map((d) => (
              <tr key={d.day}>
                <td>{d.day}</td>
                <td>{d.opened}</td>
                <td>{d.resolved}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
