// "Show earlier messages" on the console ticket page: fetch the previous page of the
// conversation and put it in place of the link (the link itself works without script).
document.addEventListener("click", async (event) => {
  const link = event.target.closest("a[data-earlier]");
  if (!link) return;
  event.preventDefault();
  link.setAttribute("aria-busy", "true");
  const response = await fetch(link.href, {headers: {"X-Requested-With": "fetch"}, credentials: "same-origin"});
  if (!response.ok) { link.removeAttribute("aria-busy"); return; }
  const holder = document.createElement("template");
  holder.innerHTML = await response.text();
  link.closest("p.earlier").replaceWith(holder.content);
});
