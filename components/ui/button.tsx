// Button primitive with primary, secondary and danger looks.
import type { ButtonHTMLAttributes } from "react";

// A pending button looks disabled too, but only through aria-disabled (see Button).
const looks = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 disabled:bg-brand-600/60 aria-disabled:bg-brand-600/60",
  secondary:
    "border border-slate-300 bg-white text-slate-900 hover:bg-slate-100 disabled:text-slate-400 aria-disabled:text-slate-400",
  danger: "bg-red-600 text-white hover:bg-red-700 disabled:bg-red-600/60 aria-disabled:bg-red-600/60",
  ghost: "text-slate-700 hover:bg-slate-100",
};

export type ButtonLook = keyof typeof looks;

// Class names for a button look, for links styled as buttons.
export function buttonClass(look: ButtonLook = "primary", extra = ""): string {
  return `inline-flex items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-medium transition-colors disabled:cursor-not-allowed aria-disabled:cursor-not-allowed ${looks[look]} ${extra}`;
}

export function Button({
  look = "primary",
  className = "",
  type = "button",
  pending,
  onClick,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  look?: ButtonLook;
  // While its action runs the button refuses presses but keeps the focus of whoever pressed it (a disabled button
  // drops it), so focus can come back to it after a step-up dialog.
  pending?: boolean;
}) {
  return (
    <button
      type={type}
      className={buttonClass(look, className)}
      aria-disabled={pending || undefined}
      onClick={pending ? (event) => event.preventDefault() : onClick}
      {...props}
    />
  );
}
