// What the browser build gets for the Node modules src/firmware.ts imports dynamically (only
// when firmware is given as a file path, which the page never does: it passes bytes).
const unavailable = (what: string) => (): never => {
  throw new Error(`${what} is not available in the browser: give the firmware as bytes or a URL`);
};

export const readFile = unavailable("node:fs/promises readFile");
export const fileURLToPath = unavailable("node:url fileURLToPath");
