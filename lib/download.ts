// Files the dashboard hands to the browser to save (exports).

// A file the browser saves as `filename` rather than shows; never cached (it is one member's view of live data).
export function downloadResponse(body: BodyInit, contentType: string, filename: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
