// HTTP calls of the minutes panel (edits go over the live socket as minutes.update commands).
import type { ExternalSigningRequest, MinutesDraft, MinutesVerification, MinutesVersion } from '../../../shared/minutes-api';
import { ApiError, http } from '../api/http';

const base = (meetingId: string) => `/api/meetings/${encodeURIComponent(meetingId)}`;

export const minutesApi = {
  draft: (meetingId: string, signal?: AbortSignal) => http.get<MinutesDraft>(`${base(meetingId)}/minutes`, signal),
  finalize: (meetingId: string) => http.post<MinutesVersion>(`${base(meetingId)}/minutes/finalize`),
  sign: (meetingId: string) => http.post<MinutesVersion>(`${base(meetingId)}/minutes/sign`),
  /** deferred signing: step 1 (with the certificate chain: raw mode), step 3 (the CMS or raw signature, base64) */
  prepareExternal: (meetingId: string, certificateChain?: string[]) =>
    http.post<ExternalSigningRequest>(`${base(meetingId)}/minutes/sign/external`, certificateChain ? { certificateChain } : {}),
  completeExternal: (meetingId: string, requestId: string, body: { cms: string } | { signature: string }) =>
    http.post<MinutesVersion>(`${base(meetingId)}/minutes/sign/external/${encodeURIComponent(requestId)}`, body),
  revise: (meetingId: string) => http.post<{ version: number }>(`${base(meetingId)}/minutes/revise`),
  verify: (meetingId: string) => http.get<MinutesVerification>(`${base(meetingId)}/minutes/verify`),
  previewUrl: (meetingId: string) => `${base(meetingId)}/minutes/preview.pdf`,
  pdfUrl: (meetingId: string) => `${base(meetingId)}/minutes.pdf`,
  /** the user's handwritten signature, a PNG */
  async uploadSignatureImage(file: Blob): Promise<void> {
    let res: Response;
    try {
      res = await fetch('/api/me/signature-image', {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'content-type': 'image/png' },
        body: file,
      });
    } catch (e) {
      throw new ApiError('NETWORK', e instanceof Error ? e.message : 'network error', 0);
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      throw new ApiError(
        (body?.error?.code as never) ?? 'BAD_RESPONSE',
        body?.error?.message ?? `HTTP ${res.status}`,
        res.status,
      );
    }
  },
  hasSignatureImage: (signal?: AbortSignal) =>
    fetch('/api/me/signature-image', { credentials: 'same-origin', signal }).then(
      (r) => r.ok,
      () => false,
    ),
};
