import { Grid, theme } from 'antd';
import type { KeyboardEvent } from 'react';
import { FLOW_EDGES, FLOW_NODES, MAIN_PATH, STAGE_LABELS, type Stage } from '@jiebang/domain';

/** One step the application took (a timeline entry that changed the stage). */
export interface TakenStep {
  from: Stage;
  to: Stage;
}

/** Side stages (closures, the return) sit beside the main-path stage they leave from. */
const SIDE_ANCHOR: Partial<Record<Stage, Stage>> = {
  CLOSED_EXPIRED: 'DRAFT',
  RETURNED: 'COUNTY_REVIEW',
  CLOSED_NOT_RECOMMENDED: 'CITY_REVIEW',
  CLOSED_NOT_SELECTED: 'PROVINCIAL_REVIEW',
  ACCEPTANCE_FAILED: 'ACCEPTANCE',
};

const NODE_W = 112;
const NODE_H = 40;
const GAP_MAIN = 40;
const GAP_SIDE = 56;

interface Box {
  x: number;
  y: number;
}

/** Positions: the main path in a row (a column on a phone), each side stage beside its anchor. */
function layout(vertical: boolean): Map<Stage, Box> {
  const at = new Map<Stage, Box>();
  const place = (along: number, across: number): Box =>
    vertical ? { x: across * (NODE_W + GAP_SIDE), y: along * (NODE_H + GAP_MAIN) } : { x: along * (NODE_W + GAP_MAIN), y: across * (NODE_H + GAP_SIDE) };
  MAIN_PATH.forEach((s, i) => at.set(s, place(i, 0)));
  for (const n of FLOW_NODES) {
    if (at.has(n.stage)) continue;
    const anchor = SIDE_ANCHOR[n.stage];
    const i = anchor ? MAIN_PATH.indexOf(anchor) : MAIN_PATH.length - 1;
    at.set(n.stage, place(i, 1));
  }
  return at;
}

/**
 * The stages as a diagram (graph from libs/domain: FLOW_NODES, FLOW_EDGES): the current stage
 * filled, the stages passed outlined, the steps taken drawn bold (a way back in orange). Each
 * stage is a button that shows its entries on the timeline. Hand-made SVG: the graph is small and
 * fixed, so a graph library (tens of KB) would buy nothing here.
 */
export function ProcessDiagram({ current, taken, counts, onSelect, selected }: { current: Stage; taken: TakenStep[]; counts: Partial<Record<Stage, number>>; selected: Stage | null; onSelect(stage: Stage | null): void }) {
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  const vertical = screens.md === false;
  const at = layout(vertical);
  const visited = new Set<Stage>(['DRAFT', current, ...taken.flatMap((t) => [t.from, t.to])]);
  const takenKey = new Set(taken.map((t) => `${t.from}>${t.to}`));
  const width = Math.max(...[...at.values()].map((b) => b.x)) + NODE_W + 8;
  const height = Math.max(...[...at.values()].map((b) => b.y)) + NODE_H + 8;
  // One edge per pair of stages (several actions may join the same two).
  const pairs = [...new Map(FLOW_EDGES.filter((e) => at.has(e.from) && at.has(e.to)).map((e) => [`${e.from}>${e.to}`, e])).values()];
  const orange = '#ad4e00';

  const centre = (s: Stage) => ({ x: at.get(s)!.x + 4 + NODE_W / 2, y: at.get(s)!.y + 4 + NODE_H / 2 });
  const edgePath = (from: Stage, to: Stage): string => {
    const a = centre(from);
    const b = centre(to);
    const sameRow = vertical ? a.x === b.x : a.y === b.y;
    const adjacent = sameRow && Math.abs(MAIN_PATH.indexOf(from) - MAIN_PATH.indexOf(to)) === 1;
    if (sameRow && !adjacent) {
      // A jump along the main path (back, or forward over stages): an arc beside the row.
      const lift = -(NODE_H / 2 + 18);
      return vertical
        ? `M ${a.x - NODE_W / 2} ${a.y} C ${a.x - NODE_W / 2 + lift} ${a.y}, ${b.x - NODE_W / 2 + lift} ${b.y}, ${b.x - NODE_W / 2} ${b.y}`
        : `M ${a.x} ${a.y - NODE_H / 2} C ${a.x} ${a.y + lift}, ${b.x} ${b.y + lift}, ${b.x} ${b.y - NODE_H / 2}`;
    }
    // Straight, from edge to edge of the boxes.
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const scale = Math.min(Math.abs(dx) > 0 ? NODE_W / 2 / Math.abs(dx) : Infinity, Math.abs(dy) > 0 ? NODE_H / 2 / Math.abs(dy) : Infinity);
    return `M ${a.x + dx * scale} ${a.y + dy * scale} L ${b.x - dx * scale} ${b.y - dy * scale}`;
  };

  const key = (s: Stage) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(selected === s ? null : s);
    }
  };

  const path = [taken[0]?.from ?? 'DRAFT', ...taken.map((t) => t.to)].map((s) => STAGE_LABELS[s]).join(' → ');
  return (
    <figure style={{ margin: 0, overflowX: 'auto' }} data-testid="process-diagram">
      <figcaption style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>
        流程图。当前环节：{STAGE_LABELS[current]}。已经过：{path}。
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width, display: 'block', margin: '0 auto' }} role="group" aria-label="流程图">
        <defs>
          {[
            ['arrow', token.colorTextTertiary],
            ['arrow-taken', token.colorPrimary],
            ['arrow-back', orange],
          ].map(([id, fill]) => (
            <marker key={id} id={id} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill={fill} />
            </marker>
          ))}
        </defs>
        {pairs.map((e) => {
          const isTaken = takenKey.has(`${e.from}>${e.to}`);
          const colour = isTaken ? (e.back ? orange : token.colorPrimary) : token.colorBorder;
          return (
            <path
              key={`${e.from}>${e.to}`}
              d={edgePath(e.from, e.to)}
              fill="none"
              stroke={colour}
              strokeWidth={isTaken ? 3 : 1.2}
              strokeDasharray={isTaken ? undefined : e.back ? '4 3' : undefined}
              markerEnd={`url(#${isTaken ? (e.back ? 'arrow-back' : 'arrow-taken') : 'arrow'})`}
              data-testid={isTaken ? `edge-taken-${e.from}-${e.to}` : undefined}
            >
              <title>{`${STAGE_LABELS[e.from]} → ${STAGE_LABELS[e.to]}：${e.label}`}</title>
            </path>
          );
        })}
        {FLOW_NODES.map((n) => {
          const b = at.get(n.stage)!;
          const isCurrent = n.stage === current;
          const wasHere = visited.has(n.stage);
          const count = counts[n.stage] ?? 0;
          const fill = isCurrent ? token.colorPrimary : wasHere ? token.colorPrimaryBg : token.colorBgContainer;
          const text = isCurrent ? '#fff' : wasHere ? token.colorText : token.colorTextSecondary;
          const state = isCurrent ? '当前环节' : wasHere ? '已经过' : '未经过';
          return (
            <g
              key={n.stage}
              transform={`translate(${b.x + 4} ${b.y + 4})`}
              role="button"
              tabIndex={0}
              aria-label={`${n.label}：${state}，${count} 条流程记录`}
              aria-pressed={selected === n.stage}
              aria-current={isCurrent ? 'step' : undefined}
              onClick={() => onSelect(selected === n.stage ? null : n.stage)}
              onKeyDown={key(n.stage)}
              className="jb-flow-node"
              style={{ cursor: 'pointer' }}
              data-testid={`node-${n.stage}`}
              data-state={isCurrent ? 'current' : wasHere ? 'visited' : 'idle'}
            >
              <rect
                width={NODE_W}
                height={NODE_H}
                rx={6}
                fill={fill}
                stroke={selected === n.stage ? token.colorText : wasHere || isCurrent ? token.colorPrimary : token.colorBorder}
                strokeWidth={selected === n.stage ? 3 : wasHere ? 2 : 1}
                strokeDasharray={n.main || wasHere ? undefined : '4 3'}
              />
              <text x={NODE_W / 2} y={NODE_H / 2} dominantBaseline="central" textAnchor="middle" fontSize={n.label.length > 7 ? 11 : 13} fill={text} fontWeight={isCurrent ? 600 : 400}>
                {n.label}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
