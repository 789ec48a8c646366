// Two small hand-drawn SVG charts: a calendar heatmap and a bar chart.
// Every mark carries its numbers in data attributes and a <title>, and each
// chart is summarised in text beside it for screen readers.

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

function titled(node, text) {
  const title = svg("title");
  title.textContent = text;
  node.append(title);
  return node;
}

function addDays(iso, days) {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const LEVELS = ["#e3e6ea", "#b7dfc2", "#6fbf86", "#2f9150", "#146c2e"];

function level(count, max) {
  if (!count) return 0;
  return Math.min(4, 1 + Math.floor((3 * count) / Math.max(max, 1)));
}

// `days`: [{date, count}]; `today`: "YYYY-MM-DD". Weeks run in columns, Monday at the top.
export function heatmap(days, today, weeks = 26) {
  const counts = new Map(days.map((d) => [d.date, d.count]));
  const max = Math.max(0, ...days.map((d) => d.count));
  const cell = 12, gap = 3, top = 14, left = 22;
  const todayDate = new Date(`${today}T00:00:00Z`);
  const weekday = (todayDate.getUTCDay() + 6) % 7; // Monday 0
  const start = addDays(today, -(weeks - 1) * 7 - weekday);
  const width = left + weeks * (cell + gap);
  const height = top + 7 * (cell + gap);
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
                            "aria-label": "Calendar of reviews per day" });
  root.classList.add("heatmap-svg");
  ["Mon", "Wed", "Fri"].forEach((name, i) => {
    const label = svg("text", { x: 0, y: top + (i * 2) * (cell + gap) + cell - 2, "font-size": 9, fill: "#4d5358" });
    label.textContent = name;
    root.append(label);
  });
  let lastMonth = "";
  for (let w = 0; w < weeks; w++) {
    for (let d = 0; d < 7; d++) {
      const date = addDays(start, w * 7 + d);
      if (date > today) continue;
      if (d === 0 && date.slice(5, 7) !== lastMonth) {
        lastMonth = date.slice(5, 7);
        const month = svg("text", { x: left + w * (cell + gap), y: 10, "font-size": 9, fill: "#4d5358" });
        month.textContent = new Date(`${date}T00:00:00Z`).toLocaleString(undefined, { month: "short", timeZone: "UTC" });
        root.append(month);
      }
      const count = counts.get(date) || 0;
      const rect = svg("rect", {
        x: left + w * (cell + gap), y: top + d * (cell + gap), width: cell, height: cell, rx: 2,
        fill: LEVELS[level(count, max)], "data-date": date, "data-count": count,
      });
      if (date === today) { rect.setAttribute("stroke", "#1a1a1a"); rect.setAttribute("stroke-width", 1.5); }
      root.append(titled(rect, `${date}: ${count} review${count === 1 ? "" : "s"}`));
    }
  }
  return root;
}

// `days`: [{date, count}] as bars, with the largest count labelled on the axis.
export function barChart(days, label = "cards due") {
  const bar = 14, gap = 4, height = 120, bottom = 18, left = 26;
  const max = Math.max(1, ...days.map((d) => d.count));
  const width = left + days.length * (bar + gap);
  const root = svg("svg", { viewBox: `0 0 ${width} ${height + bottom}`, width, height: height + bottom,
                            role: "img", "aria-label": `Forecast of ${label} per day` });
  root.classList.add("forecast-svg");
  root.append(svg("line", { x1: left - 2, y1: height, x2: width, y2: height, stroke: "#767c85" }));
  const maxLabel = svg("text", { x: 0, y: 10, "font-size": 9, fill: "#4d5358" });
  maxLabel.textContent = String(max);
  root.append(maxLabel);
  const zero = svg("text", { x: 0, y: height, "font-size": 9, fill: "#4d5358" });
  zero.textContent = "0";
  root.append(zero);
  days.forEach((day, i) => {
    const h = Math.round(((height - 12) * day.count) / max);
    const rect = svg("rect", { x: left + i * (bar + gap), y: height - h, width: bar, height: Math.max(h, 0),
                               fill: "#0b57d0", "data-date": day.date, "data-count": day.count });
    root.append(titled(rect, `${day.date}: ${day.count} ${label}`));
    if (i % 7 === 0) {
      const tick = svg("text", { x: left + i * (bar + gap), y: height + 13, "font-size": 9, fill: "#4d5358" });
      tick.textContent = i === 0 ? "today" : `+${i}d`;
      root.append(tick);
    }
  });
  return root;
}
