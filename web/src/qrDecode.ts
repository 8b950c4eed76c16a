// Reading QR codes in the browser with jsQR: from camera frames and from a photo. Pictures are
// drawn on a canvas that is never attached to the page; nothing is sent anywhere.
import jsQR from "jsqr";

// The camera: present in this browser, and allowed on this page.
export function cameraSupported(): boolean {
  return typeof navigator !== "undefined" && !!navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === "function";
}

// Why the camera could not be opened, in words.
export function cameraErrorMessage(e: unknown): string {
  const name = e instanceof DOMException || e instanceof Error ? e.name : "";
  switch (name) {
    case "NotAllowedError":
    case "PermissionDeniedError":
      return "The camera was not allowed. To scan, allow this site to use the camera in your browser's settings, then try again, or read the QR code from a photo instead.";
    case "NotFoundError":
    case "DevicesNotFoundError":
    case "OverconstrainedError":
      return "No camera was found on this device. Read the QR code from a photo instead.";
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return "The camera could not be started: another application may be using it. Close it and try again.";
    case "SecurityError":
      return "This browser allows the camera only on pages opened over https or on localhost.";
    default:
      return "The camera could not be started. Read the QR code from a photo instead.";
  }
}

// A part of a picture: x, y, width and height in its own pixels.
export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

type Inversion = "dontInvert" | "onlyInvert" | "attemptBoth";

// A reusable canvas and its 2D context for reading pixels.
export class FrameReader {
  private readonly canvas = document.createElement("canvas");
  private readonly ctx = this.canvas.getContext("2d", { willReadFrequently: true });
  private turn = 0;

  // Decodes `area` of a picture, scaled so that its longer side is at most `maxSide` pixels.
  read(source: CanvasImageSource, area: Area, maxSide: number, inversion: Inversion): string | null {
    if (!this.ctx || area.width <= 0 || area.height <= 0) return null;
    const scale = Math.min(1, maxSide / Math.max(area.width, area.height));
    const w = Math.max(1, Math.round(area.width * scale));
    const h = Math.max(1, Math.round(area.height * scale));
    if (this.canvas.width !== w) this.canvas.width = w;
    if (this.canvas.height !== h) this.canvas.height = h;
    this.ctx.drawImage(source, area.x, area.y, area.width, area.height, 0, 0, w, h);
    const image = this.ctx.getImageData(0, 0, w, h);
    const code = jsQR(image.data, w, h, { inversionAttempts: inversion });
    return code && code.data !== "" ? code.data : null;
  }

  // One camera frame. Successive frames take turns: the whole picture scaled down (a code held
  // anywhere), then the square in the middle at full resolution (a dense code held in the aiming
  // frame); dark-on-light codes, then light-on-dark ones. Each frame costs one small decode.
  readFrame(video: HTMLVideoElement, maxSide: number): string | null {
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (!w || !h) return null;
    const turn = this.turn++;
    const inversion: Inversion = turn % 4 < 2 ? "dontInvert" : "onlyInvert";
    if (turn % 2 === 0) return this.read(video, { x: 0, y: 0, width: w, height: h }, maxSide, inversion);
    const side = Math.round(Math.min(w, h) * 0.9);
    const area = { x: Math.round((w - side) / 2), y: Math.round((h - side) / 2), width: side, height: side };
    return this.read(video, area, Math.max(maxSide, Math.min(side, 1080)), inversion);
  }
}

// The QR code in a photo, or null when none could be read. Rejects when the file is not a
// picture the browser can show.
export async function decodeQrFromImage(file: Blob): Promise<string | null> {
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const reader = new FrameReader();
    const w = img.naturalWidth;
    const h = img.naturalHeight;
    // A phone photo is large; most codes read at 1280 px, small ones need more.
    for (const side of [1280, 2400]) {
      const text = reader.read(img, { x: 0, y: 0, width: w, height: h }, side, "attemptBoth");
      if (text !== null) return text;
      if (Math.max(w, h) <= side) break;
    }
    return null;
  } finally {
    URL.revokeObjectURL(url);
  }
}
