// Datasette's table pages list every column's description above the rows: fold them away.
document.addEventListener("DOMContentLoaded", () => {
  for (const dl of document.querySelectorAll("dl.column-descriptions")) {
    const details = document.createElement("details");
    details.className = "delib-columns-help";
    const summary = document.createElement("summary");
    summary.textContent = "What each column means (" + dl.querySelectorAll("dt").length + " columns)";
    dl.replaceWith(details);
    details.append(summary, dl);
  }
});
