import { token } from "./api";
import { t } from "./i18n";

const tables = ["scopes", "communities", "grids", "lessons", "topics", "channels", "age-bands", "daily"];

/** Analysts' downloads: the rollup tables as CSV (UTF-8 with BOM, for Excel), fetched with the user's token. */
export function renderDownloads(root: HTMLElement, subdistrict: string): void {
  root.innerHTML = `<h2>${t("downloads.heading")} · ${subdistrict}</h2>
    <ul class="downloads">${tables.map((table) => `<li><button type="button" data-table="${table}">${table}.csv</button></li>`).join("")}</ul>`;
  root.querySelectorAll<HTMLButtonElement>("button[data-table]").forEach((button) => {
    button.addEventListener("click", async () => {
      const table = button.dataset.table!;
      const response = await fetch(`/v1/subdistricts/${encodeURIComponent(subdistrict)}/rollup.csv?table=${table}`,
        { headers: { Authorization: `Bearer ${token() ?? ""}` } });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = `${subdistrict}-${table}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    });
  });
}
