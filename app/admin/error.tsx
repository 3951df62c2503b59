"use client";
// Error state for the admin pages: the dashboard's plain message and retry.
export { default } from "../(dashboard)/dashboard/error";
