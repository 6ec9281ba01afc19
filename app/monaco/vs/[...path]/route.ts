/** Monaco's files from node_modules, so the lab editor never needs a CDN (see vs-assets.ts). */
import { serveVsAsset } from '@/app/components/lab/monaco/vs-assets';

export async function GET(
  request: Request,
  context: { params: Promise<{ path: string[] }> },
): Promise<Response> {
  return serveVsAsset((await context.params).path, request);
}
