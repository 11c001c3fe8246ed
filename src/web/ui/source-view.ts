// The firmware source with light syntax colouring, and the lines where tasks' state machines
// currently are marked with the task's name and state.
import { esc } from "./format.js";

const KEYWORDS = new Set(
  "abstract break case class const constructor continue default else enum export extends false for function get if import let new null private readonly return static super switch this throw true while from".split(" "),
);

/** HTML for one line of AssemblyScript/TypeScript; `inComment` carries a block comment across lines. */
function highlightLine(line: string, state: { inComment: boolean }): string {
  let out = "";
  let i = 0;
  if (state.inComment) {
    const end = line.indexOf("*/");
    if (end < 0) return `<span class="c">${esc(line)}</span>`;
    out += `<span class="c">${esc(line.slice(0, end + 2))}</span>`;
    i = end + 2;
    state.inComment = false;
  }
  const token = /(\/\/.*$)|(\/\*)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)|(\b\d[\d_]*(?:\.\d+)?\b)|(\b[A-Za-z_]\w*\b)/g;
  token.lastIndex = i;
  let last = i;
  for (let m = token.exec(line); m; m = token.exec(line)) {
    out += esc(line.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1]) out += `<span class="c">${esc(m[1])}</span>`;
    else if (m[2]) {
      const end = line.indexOf("*/", m.index + 2);
      if (end < 0) {
        out += `<span class="c">${esc(line.slice(m.index))}</span>`;
        state.inComment = true;
        return out;
      }
      out += `<span class="c">${esc(line.slice(m.index, end + 2))}</span>`;
      last = end + 2;
      token.lastIndex = last;
    } else if (m[3]) out += `<span class="s">${esc(m[3])}</span>`;
    else if (m[4]) out += `<span class="n">${esc(m[4])}</span>`;
    else if (m[5]) {
      const word = m[5];
      if (KEYWORDS.has(word)) out += `<span class="k">${word}</span>`;
      else if (/^[A-Z]/.test(word)) out += `<span class="t">${word}</span>`;
      else out += word;
    }
  }
  return out + esc(line.slice(last));
}

/** The whole file as line elements: <div class="ln" data-line="n">. */
export function sourceHtml(source: string): string {
  const state = { inComment: false };
  return source
    .replace(/\n$/, "")
    .split("\n")
    .map((line, i) => `<div class="ln" data-line="${i + 1}"><span class="no">${i + 1}</span><span class="code">${highlightLine(line, state) || " "}</span></div>`)
    .join("");
}

export interface LineMark {
  line: number;
  /** "sleeper#1 · Sleeping" */
  label: string;
  /** The task polled last: the strongest highlight. */
  current: boolean;
}

/**
 * Mark `marks` in a container filled by sourceHtml, replacing the previous marks. Returns the
 * element of the current line, if any (the caller may scroll it into view).
 */
export function markLines(container: HTMLElement, marks: LineMark[]): HTMLElement | null {
  for (const el of Array.from(container.querySelectorAll<HTMLElement>(".ln.here, .ln.task"))) {
    el.classList.remove("here", "task");
    el.querySelector(".badge")?.remove();
  }
  let current: HTMLElement | null = null;
  const byLine = new Map<number, LineMark[]>();
  for (const m of marks) byLine.set(m.line, [...(byLine.get(m.line) ?? []), m]);
  for (const [line, list] of byLine) {
    const el = container.querySelector<HTMLElement>(`.ln[data-line="${line}"]`);
    if (!el) continue;
    const isCurrent = list.some((m) => m.current);
    el.classList.add(isCurrent ? "here" : "task");
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = list.map((m) => m.label).join(", ");
    el.appendChild(badge);
    if (isCurrent) current = el;
  }
  return current;
}
