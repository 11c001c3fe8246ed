// Small inline SVG icons (no icon font, no emoji: they render the same everywhere, offline).
const svg = (body: string, size = 14) =>
  `<svg width="${size}" height="${size}" viewBox="0 0 16 16" fill="currentColor" aria-hidden="true" style="flex:none">${body}</svg>`;

export const ICONS = {
  play: svg(`<path d="M4 2.5v11l9.5-5.5z"/>`),
  pause: svg(`<rect x="3.5" y="2.5" width="3" height="11" rx=".6"/><rect x="9.5" y="2.5" width="3" height="11" rx=".6"/>`),
  step: svg(`<path d="M2.5 2.5v11l8-5.5z"/><rect x="11" y="2.5" width="2.5" height="11" rx=".6"/>`),
  back: svg(`<path d="M13.5 2.5v11l-8-5.5z"/><rect x="2.5" y="2.5" width="2.5" height="11" rx=".6"/>`),
  reset: svg(`<path d="M8 2.5a5.5 5.5 0 1 1-5.2 7.3l1.6-.5A3.8 3.8 0 1 0 8 4.2V6L4.8 3.4 8 .8z"/>`),
  stop: svg(`<rect x="3" y="3" width="10" height="10" rx="1.2"/>`),
  live: svg(`<circle cx="8" cy="8" r="4"/>`, 10),
  clock: svg(
    `<circle cx="8" cy="9" r="5.6" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M8 5.6V9l2.2 1.4" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/><path d="M1.6 3.6 4 1.4M14.4 3.6 12 1.4" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>`,
    20,
  ),
};
