// Upload progress for forms marked data-upload-progress. Without JavaScript the form posts as usual.
document.querySelectorAll("form[data-upload-progress]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (!window.XMLHttpRequest || !window.FormData) return;
    event.preventDefault();
    const box = form.querySelector("[data-progress]");
    const bar = form.querySelector("[data-progress-bar]");
    const failed = form.querySelector("[data-progress-error]");
    const request = new XMLHttpRequest();
    box.classList.remove("d-none");
    failed.classList.add("d-none");
    request.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      bar.style.width = percent + "%";
      box.setAttribute("aria-valuenow", percent);
    });
    request.addEventListener("load", () => {
      // Show what the server answered (the document page, or the form with its errors) at its URL.
      const html = request.responseText;
      if (request.responseURL) window.history.replaceState(null, "", request.responseURL);
      document.open();
      document.write(html);
      document.close();
    });
    request.addEventListener("error", () => failed.classList.remove("d-none"));
    request.open("POST", form.action || window.location.href);
    request.send(new FormData(form));
  });
});
