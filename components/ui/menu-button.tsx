"use client";
// A button that opens a popup below it (a menu of links, or a panel such as the notifications): it says whether the
// popup is open, and Escape closes it and gives focus back to the button.
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

export const menuItemClass = "block w-full px-3 py-2 text-left text-sm hover:bg-slate-100";

export function MenuButton({
  label,
  className,
  popup = "menu",
  popupLabel,
  popupClassName,
  children,
}: {
  // The button's content (its accessible name).
  label: ReactNode;
  className: string;
  // "menu" for a list of menu items; "region" for a panel of other content.
  popup?: "menu" | "region";
  popupLabel?: string;
  // Width and side, e.g. "right-0 w-48".
  popupClassName: string;
  // The popup's content, or a function of `close` for items that act (a link followed closes the menu).
  children: ReactNode | ((close: () => void) => ReactNode);
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const close = () => setOpen(false);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || !open) return;
    close();
    button.current?.focus();
  };

  return (
    <div className="relative" onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        aria-haspopup={popup === "menu" ? "menu" : "true"}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((v) => !v)}
        className={className}
      >
        {label}
      </button>
      {open ? (
        <div
          id={id}
          role={popup}
          aria-label={popupLabel}
          className={`absolute z-30 mt-1 rounded-md border border-slate-200 bg-white shadow-lg ${popupClassName}`}
        >
          {typeof children === "function" ? children(close) : children}
        </div>
      ) : null}
    </div>
  );
}
