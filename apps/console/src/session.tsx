import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, getToken, onSessionEnded, setToken, unwrap, type Me, type Schemas } from './api/client';

interface SessionState {
  me: Me | null;
  loading: boolean;
  endedMessage: string | null;
  campaigns: Schemas['CampaignDto'][];
  campaignId: string | null;
  setCampaignId(id: string): void;
  /** Read the campaigns again (after one is created or opened), for the chooser. */
  reloadCampaigns(): Promise<void>;
  login(username: string, password: string, totp?: string): Promise<void>;
  logout(): Promise<void>;
  /** The caller again (after enrolling TOTP or changing the password). */
  reloadMe(): Promise<Me>;
  reference: Schemas['ReferenceDto'] | null;
}

const Ctx = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** Login state, the caller's role and scope, the chosen campaign; refreshes the short-lived token while in use. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [endedMessage, setEndedMessage] = useState<string | null>(null);
  const [campaigns, setCampaigns] = useState<Schemas['CampaignDto'][]>([]);
  const [campaignId, setCampaignIdState] = useState<string | null>(localStorage.getItem('jiebang.campaign'));
  const [reference, setReference] = useState<Schemas['ReferenceDto'] | null>(null);
  const expiresAt = useRef<number>(0);
  const lastActivity = useRef<number>(Date.now());

  const loadContext = useCallback(async (user: Me) => {
    if (user.role === 'AUDITOR' || user.mustEnrolTotp || user.mustChangePassword) return;
    if (user.role === 'SECURITY_ADMIN') {
      setReference(await unwrap(api.GET('/api/v1/reference')));
      return;
    }
    const [list, ref] = await Promise.all([unwrap(api.GET('/api/v1/campaigns')), unwrap(api.GET('/api/v1/reference'))]);
    setCampaigns(list);
    setReference(ref);
    setCampaignIdState((current) => {
      if (current && list.some((c) => c.id === current)) return current;
      const open = list.find((c) => !c.closed) ?? list[0];
      return open?.id ?? null;
    });
  }, []);

  useEffect(() => {
    onSessionEnded((message) => {
      setMe(null);
      setEndedMessage(message);
    });
    if (!getToken()) {
      setLoading(false);
      return;
    }
    unwrap(api.GET('/api/v1/auth/me'))
      .then(async (u) => {
        setMe(u);
        expiresAt.current = Date.now() + 5 * 60_000;
        await loadContext(u);
      })
      .catch(() => setToken(null))
      .finally(() => setLoading(false));
  }, [loadContext]);

  // Keep the short-lived access token fresh while the user is active; idle sessions end server-side.
  useEffect(() => {
    const mark = () => (lastActivity.current = Date.now());
    window.addEventListener('click', mark);
    window.addEventListener('keydown', mark);
    const timer = setInterval(async () => {
      if (!me || !getToken()) return;
      const activeRecently = Date.now() - lastActivity.current < me.idleMinutes * 60_000;
      if (activeRecently && expiresAt.current - Date.now() < 2 * 60_000) {
        try {
          const t = await unwrap(api.POST('/api/v1/auth/refresh'));
          setToken(t.accessToken);
          expiresAt.current = new Date(t.expiresAt).getTime();
        } catch {
          /* the 401 handler ends the session */
        }
      }
    }, 30_000);
    return () => {
      clearInterval(timer);
      window.removeEventListener('click', mark);
      window.removeEventListener('keydown', mark);
    };
  }, [me]);

  const value = useMemo<SessionState>(
    () => ({
      me,
      loading,
      endedMessage,
      campaigns,
      campaignId,
      reference,
      reloadCampaigns: async () => {
        setCampaigns(await unwrap(api.GET('/api/v1/campaigns')));
      },
      setCampaignId: (id: string) => {
        localStorage.setItem('jiebang.campaign', id);
        setCampaignIdState(id);
      },
      login: async (username, password, totp) => {
        const t = await unwrap(api.POST('/api/v1/auth/login', { body: { username, password, ...(totp ? { totp } : {}) } }));
        setToken(t.accessToken);
        expiresAt.current = new Date(t.expiresAt).getTime();
        setEndedMessage(null);
        setMe(t.user);
        await loadContext(t.user);
      },
      reloadMe: async () => {
        const u = await unwrap(api.GET('/api/v1/auth/me'));
        setMe(u);
        if (!u.mustEnrolTotp && !u.mustChangePassword) await loadContext(u);
        return u;
      },
      logout: async () => {
        await api.POST('/api/v1/auth/logout').catch(() => undefined);
        setToken(null);
        setMe(null);
      },
    }),
    [me, loading, endedMessage, campaigns, campaignId, reference, loadContext],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
