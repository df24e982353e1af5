// The portal calls the same JSON API as everyone else, with the user's token.
const storageKey = "progress.token";

/** Takes a token from the link (#token=...), keeps it for this tab, and removes it from the address bar. */
export function captureToken(): void {
  const match = /[#&]token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(storageKey, decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search + "#/overview");
  }
}

export function token(): string | null {
  return sessionStorage.getItem(storageKey);
}

export class ApiError extends Error {
  constructor(public readonly status: number, message: string) {
    super(message);
  }
}

export async function get<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token() ?? ""}` } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, (body as { message?: string }).message ?? response.statusText);
  }
  return body as T;
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, {
    method: "POST",
    headers: { Authorization: `Bearer ${token() ?? ""}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const reply = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, (reply as { message?: string }).message ?? response.statusText);
  }
  return reply as T;
}

export interface Caller {
  subject: string;
  roles: string[];
  memberId?: string;
  communityId?: string;
  subdistrictId?: string;
  volunteerId?: string;
}

export interface CommunityRanking {
  rank: number;
  communityId: string;
  name: string;
  enrolledMembers?: number;
  completedMembers?: number;
  completionRate?: number;
  averageProgress?: number;
}

export interface Coverage {
  atRisk?: number;
  inOutreach?: number;
  reached?: number;
  notYetReached?: number;
  recovered?: number;
}

export interface SubdistrictRollup {
  subdistrictId: string;
  seasonId: string;
  communities: CommunityRanking[];
  coverage?: Coverage;
}

export interface RollupReport {
  daily: { date: string; lessonCompletions?: number; membersCompleted?: number; cumulativeCompleted?: number }[];
}
