package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/testutil"
)

// browser starts headless Debian chromium at a phone's width. Without
// chromium the test skips — and fails when SABC_REQUIRE_SERVICES=1, so CI
// cannot pass a browser test it never ran.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if testutil.RequireServices() {
			t.Fatal("chromium is not installed but SABC_REQUIRE_SERVICES=1 (apt-get install chromium)")
		}
		t.Skip("chromium not installed")
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.WindowSize(390, 844)}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second) // bounded: CI stays fast
	t.Cleanup(cancel)
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// TestBrowserOfflineWeighInQueuesAndReplaysOnce: at 390 px, three results
// entered with the network off wait in the queue with a banner; back online
// they are stored exactly once each, and a second tab on /live/ shows them.
func TestBrowserOfflineWeighInQueuesAndReplaysOnce(t *testing.T) {
	ctx := browser(t)
	site := testutil.NewSite(t, testutil.SiteOptions{})
	tr := scheduledTournament(t, site.Store)
	page := fmt.Sprintf("%s/tournaments/%d/weigh-in/", site.URL, tr.ID)
	livePage := fmt.Sprintf("%s/tournaments/%d/live/", site.URL, tr.ID)

	must := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("log in", chromedp.Navigate(site.URL+"/login/"),
		chromedp.SendKeys("#email", demo.OfficerEmail), chromedp.SendKeys("#password", demo.Password),
		chromedp.Submit("#password"), chromedp.WaitVisible(`form[action="/logout/"]`))
	must("open the weigh-in screen", chromedp.Navigate(page), chromedp.WaitVisible("#angler"))

	// The second tab: the public live leaderboard.
	liveCtx, cancelLive := chromedp.NewContext(ctx)
	defer cancelLive()
	if err := chromedp.Run(liveCtx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(livePage),
		chromedp.WaitVisible("#live-standings")); err != nil {
		t.Fatalf("open the live page: %v", err)
	}

	people, err := site.Store.People(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	var anglers []club.Person
	for _, p := range people {
		if p.Member && len(anglers) < 3 {
			anglers = append(anglers, p)
		}
	}
	must("switch the network off", network.Enable(), network.EmulateNetworkConditions(true, 0, -1, -1))
	for i, p := range anglers {
		label := fmt.Sprintf("%s %s (#%d)", p.FirstName, p.LastName, p.ID)
		must("enter "+label, chromedp.WaitReady("#angler"), chromedp.SetValue("#angler", label),
			chromedp.SetValue("#fish", "3"), chromedp.SetValue("#gross", fmt.Sprintf("%d.50", 7+i)),
			chromedp.Focus("#gross"), chromedp.KeyEvent(kb.Enter))
		var banner string
		must("queue banner", chromedp.Poll(fmt.Sprintf(
			`document.getElementById("queue-banner").textContent.indexOf("%d save") === 0`, i+1), nil,
			chromedp.WithPollingTimeout(10*time.Second)), chromedp.Text("#queue-banner", &banner))
		if !strings.Contains(banner, "waiting — will send when online") {
			t.Errorf("banner after %d offline saves: %q", i+1, banner)
		}
		var focused string
		must("focus", chromedp.Evaluate(`document.activeElement.id`, &focused))
		if focused != "angler" {
			t.Errorf("after a save the focus is on %q, want the angler picker", focused)
		}
	}
	if rs, _ := site.Store.Results(context.Background(), tr.ID); len(rs) != 0 {
		t.Fatalf("%d results stored while offline", len(rs))
	}
	shot(t, ctx, "weighin-offline-390.png")
	must("switch the network on", network.EmulateNetworkConditions(false, 0, -1, -1),
		chromedp.Poll(`document.getElementById("queue-banner").hidden`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Poll(`document.querySelectorAll("#standings tbody tr").length === 3`, nil,
			chromedp.WithPollingTimeout(10*time.Second)))
	rs, err := site.Store.Results(context.Background(), tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 {
		t.Fatalf("%d results stored after the replay, want 3", len(rs))
	}
	for _, r := range rs {
		if r.Version != 1 {
			t.Errorf("%s stored at version %d: saved more than once", r.Name(), r.Version)
		}
	}
	if err := chromedp.Run(liveCtx, chromedp.Poll(`document.querySelectorAll("#live-standings tbody tr").length === 3`,
		nil, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("the live tab does not show the three saves: %v", err)
	}
	shot(t, ctx, "weighin-390.png")
	shot(t, liveCtx, "live-390.png")
}

// shot saves a full-page screenshot into SABC_SCREENSHOTS (docs/screenshots
// when refreshing the docs); without it, nothing is written. Quality 100
// makes chromedp capture PNG (below 100 it is JPEG).
func shot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("SABC_SCREENSHOTS")
	if dir == "" {
		return
	}
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Error(err)
	}
}
