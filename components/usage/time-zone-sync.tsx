"use client";
// Tells the server the browser's time zone (a cookie) so charts, tables and CSV label buckets in it; refreshes once when it changes.
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export function TimeZoneSync({ current, cookieName }: { current: string; cookieName: string }) {
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === current) return;
    document.cookie = `${cookieName}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  }, [current, cookieName, router]);
  return null;
}
