import { Grid, Select, Space, Tabs, type TabsProps } from 'antd';
import { useState, type ReactNode } from 'react';

interface Item {
  key: string;
  label: ReactNode;
  /** The label as text, for the chooser on a phone. */
  text: string;
  children?: ReactNode;
}

/**
 * Tabs on a wide screen; on a phone, where a row of tabs would overflow into a "more" menu (which
 * breaks the tab list's ARIA structure), a labelled chooser above the chosen panel.
 */
export function ResponsiveTabs({ items, activeKey, onChange, label, ...rest }: { items: Item[]; activeKey?: string; onChange?: (key: string) => void; label: string } & Omit<TabsProps, 'items' | 'onChange' | 'activeKey'>) {
  const screens = Grid.useBreakpoint();
  const [active, setActive] = useControlled(activeKey, items[0]?.key, onChange);
  if (screens.md === false) {
    const current = items.find((i) => i.key === active) ?? items[0];
    return (
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Select aria-label={label} value={current?.key} onChange={setActive} style={{ width: '100%' }} options={items.map((i) => ({ value: i.key, label: i.text }))} data-testid="tabs-select" />
        {current?.children}
      </Space>
    );
  }
  return <Tabs {...rest} activeKey={active} onChange={setActive} items={items.map(({ key, label: l, children }) => ({ key, label: l, children }))} />;
}

function useControlled(value: string | undefined, initial: string | undefined, onChange?: (k: string) => void): [string | undefined, (k: string) => void] {
  const [own, setOwn] = useState(initial);
  const current = value ?? own;
  return [
    current,
    (k: string) => {
      setOwn(k);
      onChange?.(k);
    },
  ];
}
