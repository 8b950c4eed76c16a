// The credentials a request issued: each identifier with a link to view and print it, its ledger
// entry, and a download of everything that was issued.
import { useEffect, useMemo } from "preact/hooks";
import { plural } from "../format";
import { credentialLink } from "../issue";
import type { IssuedDocument } from "../types";

export function IssuedList({
  issued,
  type,
  max = 20,
  downloadName,
}: {
  issued: IssuedDocument[];
  type: string;
  max?: number;
  downloadName?: string;
}) {
  const download = useMemo(() => {
    if (issued.length === 0) return null;
    const blob = new Blob([JSON.stringify(issued, null, 2)], { type: "application/json" });
    return URL.createObjectURL(blob);
  }, [issued]);
  // The object URL lives only as long as the list it offers.
  useEffect(
    () => () => {
      if (download) URL.revokeObjectURL(download);
    },
    [download],
  );
  const shown = issued.slice(0, max);
  return (
    <>
      <ul class="issued-list">
        {shown.map((i) => (
          <li key={i.id}>
            <span class="mono break">{i.id}</span>{" "}
            <a href={credentialLink(i.id)} data-testid="issued-view">
              View or print
            </a>
            {i.ledgerIndex !== null && i.ledgerIndex !== undefined && (
              <>
                {" · "}
                <a href={`#/ledger?index=${i.ledgerIndex}`}>ledger entry #{i.ledgerIndex}</a>
              </>
            )}
          </li>
        ))}
      </ul>
      {issued.length > shown.length && (
        <p class="muted small">
          And {plural(issued.length - shown.length, "more credential")}: the download has them all, and the list of
          issued credentials below shows them.
        </p>
      )}
      {download && (
        <a href={download} download={downloadName ?? `${type}-issued.json`} class="button-secondary">
          Download the issued credentials (JSON)
        </a>
      )}
    </>
  );
}
