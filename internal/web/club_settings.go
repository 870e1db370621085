package web

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"sabc/internal/cache"
	"sabc/internal/club"
	"sabc/internal/store"
)

// The club settings row (name, meeting place, contact, dues…) is shown on
// every page, so it is kept in memory instead of costing each render a
// query (the page query budgets are exact). It is reloaded
//   - at start;
//   - right after this process commits a club write (the store's write
//     hook reports cache.ClubWrite's namespace), before the saving request
//     redirects — so the next page already shows the new name;
//   - when another replica's club write reaches this one as a bump of that
//     namespace (pub/sub or the version refresh of the page cache): the
//     first render after it reloads the row.
// Without a page cache a process is assumed to be alone.

// defaultClubName is shown only before the club row exists (a new
// database before `sabc demo` or the first settings save).
const defaultClubName = "South Austin Bass Club"

type clubSettings struct {
	mu  sync.RWMutex
	c   club.Club
	ver uint64 // the page cache's club namespace version the copy was loaded at
}

// setupClub loads the row and registers the reload; call it after the page
// cache's bump hook is registered, so a reload records the bumped version.
func (s *Server) setupClub() {
	s.club = &clubSettings{}
	s.reloadClub(context.Background())
	s.Store.OnWrite(func(ctx context.Context, ns []string) {
		if slices.Contains(ns, cache.NSClub) {
			s.reloadClub(context.WithoutCancel(ctx))
		}
	})
}

// reloadClub reads the row; on failure the old copy stays and, with a page
// cache, the next render tries again.
func (s *Server) reloadClub(ctx context.Context) {
	var ver uint64
	if s.Cache != nil {
		ver = s.Cache.Version(ctx, cache.NSClub) // before the read: a bump during it reloads again
	}
	c, err := s.Store.Club(ctx)
	if errors.Is(err, store.ErrNotFound) {
		c, err = club.Club{}, nil
	}
	if err != nil {
		s.Logger.WarnContext(ctx, "club settings not loaded", "err", err)
		return
	}
	if c.Name == "" {
		c.Name = defaultClubName
	}
	s.club.mu.Lock()
	s.club.c, s.club.ver = c, ver
	s.club.mu.Unlock()
}

// clubInfo is the current club settings.
func (s *Server) clubInfo(ctx context.Context) club.Club {
	s.club.mu.RLock()
	c, ver := s.club.c, s.club.ver
	s.club.mu.RUnlock()
	if s.Cache != nil && s.Cache.Version(ctx, cache.NSClub) != ver {
		s.reloadClub(ctx)
		s.club.mu.RLock()
		c = s.club.c
		s.club.mu.RUnlock()
	}
	return c
}

// meetingPlace is where meetings without a lake of their own are held:
// "VFW Post 8787, 7108 Woodrow Ave, Austin, TX" ("" when not set).
func meetingPlace(c club.Club) string {
	return strings.Join(nonEmpty(c.MeetingPlace, c.MeetingAddress), ", ")
}
