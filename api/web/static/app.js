// Progressive enhancement only: every form works without this file.
// A "Copy" button next to any element marked data-copy copies its text.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const source of document.querySelectorAll("[data-copy]")) {
    if (!navigator.clipboard) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = "Copy link";
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(source.textContent.trim());
      button.textContent = "Copied";
    });
    source.after(button);
  }
});
