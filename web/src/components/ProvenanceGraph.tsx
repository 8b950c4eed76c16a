// The provenance graph drawn with Cytoscape. The page decides what the nodes are (a shipment's
// credentials and the origin documents they lead back to); this component only draws them,
// reports clicks, and highlights the selected one. The canvas cannot be read by a screen reader
// or reached by keyboard, so every page that uses it also lists the same nodes as buttons.
import cytoscape from "cytoscape";
import { useEffect, useRef, useState } from "preact/hooks";

export type GraphNodeKind = "shipment" | "failed" | "origin" | "other" | "document" | "identifier" | "submission";

export interface GraphNode {
  id: string;
  label: string;
  kind: GraphNodeKind;
  // Layers of the drawing: 0 at the top.
  depth: number;
  // Drawn with a dashed border: a document that came with another shipment.
  external?: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  label: string;
}

// Fill, border and text colours with at least 4.5:1 between text and fill.
const KIND_STYLE: Record<GraphNodeKind, { fill: string; border: string; text: string; shape: string }> = {
  shipment: { fill: "#e8f0fb", border: "#1d4f91", text: "#102a4c", shape: "round-rectangle" },
  failed: { fill: "#fdecea", border: "#b3261e", text: "#5c0f0b", shape: "round-rectangle" },
  origin: { fill: "#e6f4ea", border: "#1e6b34", text: "#0f3b1c", shape: "round-hexagon" },
  other: { fill: "#f1f3f5", border: "#5f6b7a", text: "#22272e", shape: "round-rectangle" },
  document: { fill: "#f1f3f5", border: "#5f6b7a", text: "#22272e", shape: "round-rectangle" },
  identifier: { fill: "#fff4d6", border: "#8a5a00", text: "#3d2800", shape: "round-tag" },
  submission: { fill: "#ede7f6", border: "#5b3a9b", text: "#2b1a4d", shape: "barrel" },
};

const LEGEND: Record<GraphNodeKind, string> = {
  shipment: "In this shipment, verified",
  failed: "In this shipment, failed a check",
  origin: "Origin document (mill certificate, well, batch)",
  other: "Document from another shipment",
  document: "Document",
  identifier: "Identifier",
  submission: "Shipment",
};
const LEGEND_ORDER: GraphNodeKind[] = ["identifier", "shipment", "failed", "other", "document", "origin", "submission"];

const COLUMN = 180;
const ROW = 130;
const PER_ROW = 5;

// Positions in layers: what nothing points to on top, and every node below everything that
// points to it, so that references run downwards to the origins. Within a layer, nodes sit
// near the average position of their parents to keep lines short and crossings few.
function layered(nodes: GraphNode[], edges: GraphEdge[]): Map<string, { x: number; y: number }> {
  const ids = new Set(nodes.map((n) => n.id));
  const links = edges.filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to);
  const level = new Map(nodes.map((n) => [n.id, 0]));
  // Longest-path layering; the bound on rounds keeps a cycle from looping forever.
  for (let round = 0; round < nodes.length; round++) {
    let changed = false;
    for (const e of links) {
      const next = (level.get(e.from) ?? 0) + 1;
      if (next > (level.get(e.to) ?? 0) && next < nodes.length) {
        level.set(e.to, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const layers: GraphNode[][] = [];
  for (const n of nodes) (layers[level.get(n.id) ?? 0] ??= []).push(n);
  const x = new Map<string, number>();
  const out = new Map<string, { x: number; y: number }>();
  let row = 0;
  for (const [depth, layer] of layers.entries()) {
    if (!layer) continue;
    const parentX = (n: GraphNode) => {
      const xs = links.filter((e) => e.to === n.id && x.has(e.from)).map((e) => x.get(e.from) as number);
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
    };
    const ordered = depth === 0 ? layer : [...layer].sort((a, b) => parentX(a) - parentX(b));
    // A wide layer wraps onto several rows so that the drawing stays legible when fitted.
    for (let start = 0; start < ordered.length; start += PER_ROW) {
      const chunk = ordered.slice(start, start + PER_ROW);
      chunk.forEach((n, i) => {
        const px = (i - (chunk.length - 1) / 2) * COLUMN;
        x.set(n.id, px);
        out.set(n.id, { x: px, y: row * ROW });
      });
      row++;
    }
  }
  return out;
}

// Cytoscape adds a <style> element to the page unless one with this id exists; the node's
// Content-Security-Policy (style-src 'self') would block it, so an inert placeholder takes its
// place and style.css carries the one rule it held (.graph-canvas is position: relative).
function preventInjectedStylesheet() {
  const id = "__________cytoscape_stylesheet";
  if (document.getElementById(id)) return;
  const placeholder = document.createElement("meta");
  placeholder.id = id;
  document.head.appendChild(placeholder);
}

export function ProvenanceGraph({
  nodes,
  edges,
  selected,
  onSelect,
  label,
}: {
  nodes: GraphNode[];
  edges: GraphEdge[];
  selected?: string | null;
  onSelect: (id: string) => void;
  label: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  // A stable key so that the graph is rebuilt only when its content changes.
  const key = JSON.stringify([nodes, edges]);

  useEffect(() => {
    if (!container.current) return undefined;
    preventInjectedStylesheet();
    const ids = new Set(nodes.map((n) => n.id));
    const positions = layered(nodes, edges);
    const elements: cytoscape.ElementDefinition[] = [
      ...nodes.map((n) => ({
        group: "nodes" as const,
        data: { id: n.id, label: n.label, kind: n.kind, depth: n.depth, external: n.external ? "yes" : "no" },
        position: positions.get(n.id) ?? { x: 0, y: 0 },
      })),
      ...edges
        .filter((e) => ids.has(e.from) && ids.has(e.to))
        .map((e, i) => ({
          group: "edges" as const,
          data: { id: `e${i}`, source: e.from, target: e.to, label: e.label },
        })),
    ];
    const style: cytoscape.StylesheetJson = [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "text-wrap": "wrap",
          "text-max-width": "120px",
          "text-valign": "center",
          "text-halign": "center",
          "font-family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
          "font-size": 11,
          width: 140,
          height: 60,
          "border-width": 2,
        },
      },
      ...Object.entries(KIND_STYLE).map(([kind, s]) => ({
        selector: `node[kind = "${kind}"]`,
        style: {
          "background-color": s.fill,
          "border-color": s.border,
          color: s.text,
          shape: s.shape as cytoscape.Css.NodeShape,
        },
      })),
      { selector: 'node[external = "yes"]', style: { "border-style": "dashed" } },
      {
        selector: "node:selected",
        style: { "border-width": 5, "border-color": "#0b57d0", "underlay-color": "#0b57d0", "underlay-opacity": 0.15, "underlay-padding": 6 },
      },
      {
        selector: "edge",
        style: {
          width: 1.5,
          "line-color": "#6b7785",
          "target-arrow-color": "#6b7785",
          "target-arrow-shape": "triangle",
          "curve-style": "bezier",
          label: "data(label)",
          "font-size": 9,
          "font-family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
          color: "#22272e",
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.9,
          "text-background-padding": "2px",
          "text-rotation": "autorotate",
        },
      },
    ];
    let cy: cytoscape.Core;
    try {
      cy = cytoscape({
      container: container.current,
      elements,
      style,
      layout: { name: "preset", fit: true, padding: 16 },
      userZoomingEnabled: false,
      boxSelectionEnabled: false,
      autoungrabify: true,
      minZoom: 0.2,
      maxZoom: 3,
      });
    } catch {
      // The lists below the graph carry the same information; say the picture is missing.
      setFailed(true);
      return undefined;
    }
    setFailed(false);
    cy.on("tap", "node", (event) => onSelectRef.current(event.target.id()));
    cyRef.current = cy;
    const resize = new ResizeObserver(() => {
      cy.resize();
      cy.fit(undefined, 16);
    });
    resize.observe(container.current);
    return () => {
      resize.disconnect();
      cy.destroy();
      cyRef.current = null;
    };
    // Rebuilt only when the drawing's content changes (`key`), not on every render.
  }, [key]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.nodes().unselect();
    if (selected) cy.getElementById(selected).select();
  }, [selected, key]);

  const zoom = (factor: number) => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };

  return (
    <div class="graph">
      <div class="graph-tools" role="group" aria-label="Graph view">
        <button type="button" class="button-secondary" onClick={() => zoom(1.25)}>
          Zoom in
        </button>
        <button type="button" class="button-secondary" onClick={() => zoom(0.8)}>
          Zoom out
        </button>
        <button type="button" class="button-secondary" onClick={() => cyRef.current?.fit(undefined, 16)}>
          Fit
        </button>
      </div>
      {failed && (
        <p class="notice notice-warning">The graph could not be drawn in this browser. The documents are listed below.</p>
      )}
      <div class="graph-canvas" ref={container} role="img" aria-label={label} data-testid="provenance-graph" />
      <ul class="graph-legend" aria-label="Legend">
        {LEGEND_ORDER.filter((k) => nodes.some((n) => n.kind === k)).map((k) => (
          <li key={k}>
            <span class={`swatch swatch-${k}`} aria-hidden="true" /> {LEGEND[k]}
          </li>
        ))}
        {nodes.some((n) => n.external) && (
          <li>
            <span class="swatch swatch-external" aria-hidden="true" /> Dashed border: came with another shipment
          </li>
        )}
      </ul>
    </div>
  );
}
