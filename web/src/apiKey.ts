import { useCallback, useState } from 'react';

const STORAGE_KEY = 'tongcheng.apiKey';

function stored(): string {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    // Storage can be disabled: the key then lasts until the page is left.
    return '';
  }
}

/**
 * The API key the dashboard sends for admin and operator views. It lives in sessionStorage, so it
 * is gone when the tab closes and never written to disk by the dashboard for longer than that.
 */
export function useApiKey(): [string, (key: string) => void] {
  const [key, setKey] = useState(stored);
  const save = useCallback((next: string) => {
    setKey(next);
    try {
      if (next) sessionStorage.setItem(STORAGE_KEY, next);
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Not kept, but it works for this page.
    }
  }, []);
  return [key, save];
}
