// A QR code drawn as SVG rectangles from the `qrcode` package's module matrix: no canvas, no
// markup strings, so it prints crisply and passes the page's CSP.
import { create } from "qrcode";
import { useMemo } from "preact/hooks";

export function QrCode({ text, label, size = 176 }: { text: string; label: string; size?: number }) {
  const modules = useMemo(() => create(text, { errorCorrectionLevel: "M" }).modules, [text]);
  const quiet = 4; // the blank margin the standard asks for, in modules
  const n = modules.size + quiet * 2;
  // One path for all dark modules keeps the SVG small.
  const path = useMemo(() => {
    let d = "";
    for (let y = 0; y < modules.size; ++y) {
      for (let x = 0; x < modules.size; ++x) {
        if (modules.get(x, y)) d += `M${x + quiet} ${y + quiet}h1v1h-1z`;
      }
    }
    return d;
  }, [modules]);
  return (
    <svg
      class="qr-code"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${n} ${n}`}
      shape-rendering="crispEdges"
      data-testid="credential-qr"
      data-text={text}
    >
      <rect width={n} height={n} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
