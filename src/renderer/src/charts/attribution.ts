/**
 * ECharts option builders (pure: data in, option out) for the case view. Tested without a DOM; the component
 * only calls setOption.
 */
import type { EChartsCoreOption } from 'echarts/core'

/** Horizontal bars of per-lead attribution, leads in standard order top to bottom, the strongest highlighted. */
export function attributionOption(leads: readonly string[], attribution: readonly number[], title: string): EChartsCoreOption {
  if (leads.length !== attribution.length) throw new RangeError(`attribution: ${attribution.length} values for ${leads.length} leads`)
  const max = Math.max(0, ...attribution)
  return {
    animation: false,
    title: { text: title, textStyle: { fontSize: 12, fontWeight: 'normal' } },
    grid: { left: 40, right: 16, top: 28, bottom: 20 },
    xAxis: { type: 'value', min: 0, max: max > 0 ? undefined : 1, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'category', data: [...leads], inverse: true, axisLabel: { fontSize: 10 } },
    series: [
      {
        type: 'bar',
        data: attribution.map((v) => ({ value: v, itemStyle: { color: v === max && max > 0 ? '#c0392b' : '#7f8c8d' } })),
        barMaxWidth: 12,
      },
    ],
  }
}

/** Vertical bars of the tier probabilities, decided tier highlighted, a dashed line at its threshold. */
export function tierProbabilityOption(classKeys: readonly string[], labels: readonly string[], probabilities: readonly number[], decided: number, threshold: number | null): EChartsCoreOption {
  if (classKeys.length !== probabilities.length) throw new RangeError(`tier probabilities: ${probabilities.length} values for ${classKeys.length} classes`)
  return {
    animation: false,
    grid: { left: 36, right: 8, top: 8, bottom: 24 },
    xAxis: { type: 'category', data: [...labels], axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { fontSize: 10 } },
    series: [
      {
        type: 'bar',
        data: probabilities.map((p, i) => ({ value: p, itemStyle: { color: i === decided ? '#2c3e50' : '#bdc3c7' } })),
        markLine:
          threshold === null
            ? undefined
            : { symbol: 'none', silent: true, label: { position: 'insideEndTop', formatter: `threshold ${threshold.toFixed(2)}` }, lineStyle: { type: 'dashed', color: '#c0392b' }, data: [{ yAxis: threshold }] },
      },
    ],
  }
}
