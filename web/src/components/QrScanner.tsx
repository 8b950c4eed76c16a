// The camera view that reads a QR code: opens the back camera, reads a few frames a second with
// jsQR, and turns the camera off as soon as a code is read, on Cancel or Escape, when the page
// goes to the background, and when the view goes away. Frames never leave the browser.
import { useEffect, useRef, useState } from "preact/hooks";
import { FrameReader, cameraErrorMessage } from "../qrDecode";

// Frames are read at most this often (milliseconds), at most this many pixels on a side: enough
// to read a printed code held in front of the camera, without keeping a core busy.
const FRAME_INTERVAL = 150;
const FRAME_SIDE = 800;

type Phase = "starting" | "scanning" | "paused" | "failed";

export function QrScanner({ onRead, onCancel }: { onRead: (text: string) => void; onCancel: () => void }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [phase, setPhase] = useState<Phase>("starting");
  const [error, setError] = useState<string | null>(null);
  // Bumped to start the camera again after a pause or a failure.
  const [attempt, setAttempt] = useState(0);
  const onReadRef = useRef(onRead);
  onReadRef.current = onRead;

  // Keyboard users land on Cancel, which Escape also does from anywhere in the panel.
  useEffect(() => {
    cancelRef.current?.focus();
  }, []);

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let frame = 0;
    let last = 0;
    const reader = new FrameReader();

    const stop = () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((t) => t.stop());
      stream = null;
      const video = videoRef.current;
      if (video) {
        video.pause();
        video.srcObject = null;
      }
    };

    const tick = (now: number) => {
      if (stopped) return;
      frame = requestAnimationFrame(tick);
      const video = videoRef.current;
      if (!video || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || now - last < FRAME_INTERVAL) return;
      last = now;
      let text: string | null = null;
      try {
        text = reader.readFrame(video, FRAME_SIDE);
      } catch {
        text = null;
      }
      if (text !== null) {
        stop();
        onReadRef.current(text);
      }
    };

    const onVisibility = () => {
      if (document.hidden && !stopped) {
        stop();
        setPhase("paused");
      }
    };

    setPhase("starting");
    setError(null);
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(async (s) => {
        if (stopped) {
          s.getTracks().forEach((t) => t.stop());
          return;
        }
        stream = s;
        const video = videoRef.current;
        if (!video) {
          stop();
          return;
        }
        video.srcObject = s;
        try {
          await video.play();
        } catch {
          // A play() interrupted by stopping is fine; frames are read whenever they come.
        }
        if (stopped) return;
        setPhase("scanning");
        frame = requestAnimationFrame(tick);
      })
      .catch((e: unknown) => {
        if (stopped) return;
        stop();
        setError(cameraErrorMessage(e));
        setPhase("failed");
      });
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      stop();
    };
  }, [attempt]);

  const status =
    phase === "starting"
      ? "Opening the camera… Your browser may ask whether this page may use it."
      : phase === "scanning"
        ? "The camera is on. Hold the QR code inside the frame, steady and well lit."
        : phase === "paused"
          ? "The camera was turned off while the page was in the background."
          : "The camera is off.";

  return (
    <div
      class="scan-panel"
      role="group"
      aria-labelledby="scan-heading"
      data-testid="verify-scan-panel"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <h3 id="scan-heading" class="visually-hidden">
        Camera
      </h3>
      <p role="status" class="scan-status" data-testid="verify-scan-status" data-phase={phase}>
        {status}
      </p>
      <div class={`scan-view ${phase === "scanning" || phase === "starting" ? "" : "scan-view-off"}`}>
        <video
          ref={videoRef}
          class="scan-video"
          muted
          playsInline
          autoPlay
          aria-label="What the camera sees"
          data-testid="verify-scan-video"
        />
        <div class="scan-frame" aria-hidden="true" />
      </div>
      {error && (
        <p class="field-error" role="alert" data-testid="verify-scan-error">
          {error}
        </p>
      )}
      <div class="form-actions">
        {(phase === "paused" || phase === "failed") && (
          <button type="button" class="button-secondary" onClick={() => setAttempt((a) => a + 1)} data-testid="verify-scan-retry">
            {phase === "paused" ? "Turn the camera on again" : "Try again"}
          </button>
        )}
        <button type="button" class="button-secondary" ref={cancelRef} onClick={onCancel} data-testid="verify-scan-cancel">
          {phase === "scanning" || phase === "starting" ? "Cancel" : "Close"}
        </button>
      </div>
    </div>
  );
}
