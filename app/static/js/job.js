// Follows a background job without reloading: reads its JSON status every 1.5 s and updates the
// bar; when it ends, the page is loaded again to show the result. Without JavaScript the page
// refreshes itself (a <noscript> meta refresh).
(function () {
  const box = document.getElementById("job");
  if (!box || box.dataset.finished === "yes") return;
  const url = box.dataset.statusUrl;
  async function poll() {
    let status;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(response.status);
      status = await response.json();
    } catch (error) {
      setTimeout(poll, 5000);
      return;
    }
    if (status.finished) {
      window.location.reload();
      return;
    }
    const bar = document.getElementById("job-progress");
    if (bar && status.total) {
      bar.max = status.total;
      bar.value = status.done;
      bar.textContent = status.percent + " %";
    }
    const count = document.getElementById("job-count");
    if (count) count.textContent = status.count_text;
    setTimeout(poll, 1500);
  }
  setTimeout(poll, 1500);
})();
