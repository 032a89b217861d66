// Writes regions/map_shapes.json: the country shapes of the region map, projected and
// simplified once, so running the site needs neither Node nor these packages.
//
//   node tools/make_map.mjs            (after `npm ci`; see README.md, "The region map")
//
// Source: Natural Earth (public domain) 1:50m admin-0 countries, as TopoJSON in the npm
// package world-atlas@2.0.2 (countries-50m.json), decoded with topojson-client. world-atlas
// keeps Natural Earth's older short names ("Macedonia", "Turkey", "Bosnia and Herz.") and
// gives Kosovo no numeric id, so countries are matched by those names.
//
// Projection: spherical Mercator, K units per degree of longitude, origin at the top-left
// corner of the clip box. Python (regions/maps.py) projects office coordinates with the same
// formula from the parameters written into the file. Borders are simplified per TopoJSON arc
// (before the arcs are joined into rings), so two neighbours share exactly the same
// simplified border and no slivers open between them.

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { feature } from "topojson-client";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = join(ROOT, "node_modules", "world-atlas", "countries-50m.json");
const OUTPUT = join(ROOT, "regions", "map_shapes.json");

// Natural Earth's name in world-atlas -> the portal's ISO 3166-1 alpha-2 code (XK: Kosovo).
const COUNTRIES = {
  Albania: "AL",
  "Bosnia and Herz.": "BA",
  Kosovo: "XK",
  Montenegro: "ME",
  Macedonia: "MK",
  Serbia: "RS",
  Turkey: "TR",
};

const K = 100; // projected units per degree of longitude
// Everything a map of the region can show, with room around it: neighbours are clipped here.
const CLIP = { west: 10, east: 50, south: 32, north: 49.5 };
const TOLERANCE = 0.6; // Douglas-Peucker tolerance, projected units (about 0.6 km east-west)

const mercatorY = (lat) => (Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) * 180) / Math.PI;
const ORIGIN_X = CLIP.west * K;
const ORIGIN_Y = -mercatorY(CLIP.north) * K;
const project = ([lon, lat]) => [lon * K - ORIGIN_X, -mercatorY(lat) * K - ORIGIN_Y];
const BOX = { x0: 0, y0: 0, ...(([x1, y1]) => ({ x1, y1 }))(project([CLIP.east, CLIP.south])) };

function simplify(points, tolerance) {
  if (points.length < 3) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    const [ax, ay] = points[first];
    const [bx, by] = points[last];
    const dx = bx - ax;
    const dy = by - ay;
    const length = Math.hypot(dx, dy);
    let worst = -1;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const [px, py] = points[i];
      const distance =
        length === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / length;
      if (distance > worst) {
        worst = distance;
        index = i;
      }
    }
    if (worst > tolerance) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

// Sutherland-Hodgman against the clip box: neighbours only (the region's own shapes lie inside).
function clipRing(ring) {
  const edges = [
    (p) => p[0] >= BOX.x0,
    (p) => p[0] <= BOX.x1,
    (p) => p[1] >= BOX.y0,
    (p) => p[1] <= BOX.y1,
  ];
  const cross = [
    (a, b) => at(a, b, (BOX.x0 - a[0]) / (b[0] - a[0])),
    (a, b) => at(a, b, (BOX.x1 - a[0]) / (b[0] - a[0])),
    (a, b) => at(a, b, (BOX.y0 - a[1]) / (b[1] - a[1])),
    (a, b) => at(a, b, (BOX.y1 - a[1]) / (b[1] - a[1])),
  ];
  let output = ring;
  edges.forEach((inside, e) => {
    const input = output;
    output = [];
    input.forEach((current, i) => {
      const previous = input[(i + input.length - 1) % input.length];
      if (inside(current)) {
        if (!inside(previous)) output.push(cross[e](previous, current));
        output.push(current);
      } else if (inside(previous)) {
        output.push(cross[e](previous, current));
      }
    });
  });
  return output;
}

const at = (a, b, t) => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
const tenths = (value) => Math.round(value * 10);

// One SVG path: absolute start, then relative steps in whole tenths (exact, short).
function pathOf(polygons) {
  const parts = [];
  for (const rings of polygons) {
    for (const ring of rings) {
      const points = ring.map(([x, y]) => [tenths(x), tenths(y)]);
      const unique = points.filter(
        (p, i) => i === 0 || p[0] !== points[i - 1][0] || p[1] !== points[i - 1][1],
      );
      if (unique.length > 1 && unique.at(-1)[0] === unique[0][0] && unique.at(-1)[1] === unique[0][1]) {
        unique.pop();
      }
      if (unique.length < 3) continue;
      let text = `M${unique[0][0] / 10} ${unique[0][1] / 10}l`;
      const steps = [];
      for (let i = 1; i < unique.length; i++) {
        steps.push(`${(unique[i][0] - unique[i - 1][0]) / 10} ${(unique[i][1] - unique[i - 1][1]) / 10}`);
      }
      parts.push(`${text}${steps.join(" ").replace(/ -/g, "-")}z`);
    }
  }
  return parts.join("");
}

function ringArea(ring) {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]);
  }
  return sum / 2;
}

function centroid(ring) {
  let x = 0;
  let y = 0;
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    x += (ring[j][0] + ring[i][0]) * f;
    y += (ring[j][1] + ring[i][1]) * f;
    area += f;
  }
  return [x / (3 * area), y / (3 * area)];
}

function bbox(polygons) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const rings of polygons) {
    for (const [x, y] of rings[0] ?? []) {
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
    }
  }
  return box.map((value) => tenths(value) / 10);
}

const polygonsOf = (geometry) =>
  geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];

const topology = JSON.parse(readFileSync(SOURCE, "utf-8"));
const {
  scale: [sx, sy],
  translate: [tx, ty],
} = topology.transform;
topology.arcs = topology.arcs.map((arc) => {
  let x = 0;
  let y = 0;
  const points = arc.map(([dx, dy]) => {
    x += dx;
    y += dy;
    return project([x * sx + tx, y * sy + ty]);
  });
  return simplify(points, TOLERANCE);
});
delete topology.transform;

const countries = {};
const context = [];
for (const country of feature(topology, topology.objects.countries).features) {
  const name = country.properties.name;
  const polygons = polygonsOf(country.geometry);
  const code = COUNTRIES[name];
  if (code) {
    const largest = polygons.map((rings) => rings[0]).sort((a, b) => Math.abs(ringArea(b)) - Math.abs(ringArea(a)))[0];
    countries[code] = {
      source_name: name,
      path: pathOf(polygons),
      bbox: bbox(polygons),
      label: centroid(largest).map((value) => tenths(value) / 10),
    };
    continue;
  }
  const clipped = polygons
    .map((rings) => rings.map(clipRing).filter((ring) => ring.length >= 3))
    .filter((rings) => rings.length && Math.abs(ringArea(rings[0])) > 1);
  if (clipped.length) context.push({ source_name: name, path: pathOf(clipped), bbox: bbox(clipped) });
}

const missing = Object.entries(COUNTRIES).filter(([, code]) => !countries[code]);
if (missing.length) {
  throw new Error(`Not found in ${SOURCE}: ${missing.map(([name]) => name).join(", ")}`);
}
context.sort((a, b) => a.source_name.localeCompare(b.source_name));

const document = {
  attribution: "Country shapes: Natural Earth, public domain, via world-atlas",
  source: "world-atlas@2.0.2 countries-50m.json (Natural Earth 1:50m admin-0 countries)",
  generator: "tools/make_map.mjs",
  projection: {
    name: "mercator",
    units_per_degree: K,
    origin_x: ORIGIN_X,
    origin_y: ORIGIN_Y,
    width: tenths(BOX.x1) / 10,
    height: tenths(BOX.y1) / 10,
  },
  countries: Object.fromEntries(Object.entries(countries).sort()),
  context,
};
writeFileSync(OUTPUT, `${JSON.stringify(document, null, 1)}\n`);
console.log(`Wrote ${OUTPUT}: ${Object.keys(countries).length} countries, ${context.length} neighbours.`);
