// Progressive enhancement of the export's page: without this file the page has a link that
// refreshes it. With it, the progress is read every two seconds and shown in place; when the copy
// is ready (or has failed) the page is loaded again to show the download link.
const box = document.getElementById("export-status");
if (box && (box.dataset.status === "queued" || box.dataset.status === "running")) {
  const text = document.getElementById("export-progress-text");
  const bar = document.getElementById("export-progress-bar");
  const refresh = document.getElementById("export-refresh");
  if (refresh) refresh.hidden = true;
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const found = await response.json();
      if (found.status !== "queued" && found.status !== "running") {
        window.location.reload();
        return;
      }
      bar.value = found.percent;
      bar.textContent = `${found.percent}%`;
      const said = found.status === "queued"
        ? "Waiting to start."
        : found.total
          ? `${found.done} of ${found.total} records and files done (${found.percent}%).`
          : "Starting: gathering your records.";
      const line = text.querySelector("p");
      if (line.textContent !== said) line.textContent = said;
    } catch {
      if (refresh) refresh.hidden = false;
      return;
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 2000);
}
