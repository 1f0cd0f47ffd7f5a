// examples/browser/digit-pad: the canvas a visitor draws a digit on with the mouse, a pen or a
// finger (pointer events), black round strokes on white; each finished stroke calls `onStroke` with
// the drawing as the 8x8 digits image (digit-pixels.ts). clear() wipes it.
import { digitPixels } from "./digit-pixels.js";
import type { Canvas2D, PageCanvas, PageEvent } from "./dom.js";

/** Stroke width as a fraction of the canvas side: thick, like the pen strokes of the digits set. */
const STROKE = 0.08;

export class DigitPad {
  private readonly context: Canvas2D;
  private drawing = false;
  private inked = false;

  constructor(
    private readonly canvas: PageCanvas,
    private readonly onStroke: (pixels: Float32Array) => void,
  ) {
    this.context = canvas.getContext("2d", { willReadFrequently: true });
    this.clear();
    canvas.style.touchAction = "none";
    canvas.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      this.drawing = true;
      const [x, y] = this.point(event);
      this.context.beginPath();
      this.context.moveTo(x, y);
      this.context.lineTo(x + 0.01, y); // a dot for a click without a move
      this.context.stroke();
      this.inked = true;
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!this.drawing) return;
      const [x, y] = this.point(event);
      this.context.lineTo(x, y);
      this.context.stroke();
    });
    const end = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.onStroke(this.pixels());
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
  }

  /** Whether anything is drawn. */
  get empty(): boolean {
    return !this.inked;
  }

  /** The drawing as the 64 intensities (0-16) of an 8x8 digits image. */
  pixels(): Float32Array {
    const { width, height } = this.canvas;
    return digitPixels(
      this.context.getImageData(0, 0, width, height).data,
      width,
      height,
      this.context.lineWidth,
    );
  }

  clear(): void {
    const { width, height } = this.canvas;
    const context = this.context;
    context.fillStyle = "#fff";
    context.fillRect(0, 0, width, height);
    context.strokeStyle = "#000";
    context.lineWidth = Math.round(STROKE * width);
    context.lineCap = "round";
    context.lineJoin = "round";
    this.inked = false;
  }

  /** The event's position in canvas pixels. */
  private point(event: PageEvent): [number, number] {
    const box = this.canvas.getBoundingClientRect();
    return [
      ((event.clientX - box.left) * this.canvas.width) / box.width,
      ((event.clientY - box.top) * this.canvas.height) / box.height,
    ];
  }
}
