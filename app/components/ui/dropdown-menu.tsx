import { DropdownMenu as Primitive } from "radix-ui";
import type { ComponentProps, ReactNode } from "react";

/** Radix's dropdown menu, styled once. Keyboard: Enter/Space opens, arrows move, Esc closes. */
export function DropdownMenu({ trigger, children, label }: { trigger: ReactNode; children: ReactNode; label: string }) {
  return (
    <Primitive.Root modal={false}>
      <Primitive.Trigger asChild>
        <button type="button" className="menu-trigger" aria-label={label}>
          {trigger}
        </button>
      </Primitive.Trigger>
      <Primitive.Portal>
        <Primitive.Content className="menu-content" align="end" sideOffset={6}>
          {children}
        </Primitive.Content>
      </Primitive.Portal>
    </Primitive.Root>
  );
}

export function DropdownMenuItem(props: ComponentProps<typeof Primitive.Item>) {
  return <Primitive.Item className="menu-item" {...props} />;
}

export function DropdownMenuLabel(props: ComponentProps<typeof Primitive.Label>) {
  return <Primitive.Label className="menu-label" {...props} />;
}

export function DropdownMenuSeparator() {
  return <Primitive.Separator className="menu-separator" />;
}
