package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"sabc/internal/demo"
	"sabc/internal/testutil"
)

// TestBrowserLakeAndClubFormsFitA390pxPhone: the officer's lake list, a lake
// with its ramp forms (also with refusals shown), and the admin's club
// settings fit a 390 px phone: the document, its main column and its tables
// (phoneFit) are no wider than the screen.
func TestBrowserLakeAndClubFormsFitA390pxPhone(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	ctx := browser(t)
	lakes, err := site.Store.Lakes(context.Background())
	if err != nil || len(lakes) == 0 {
		t.Fatalf("demo lakes: %v", err)
	}
	edit := fmt.Sprintf("/admin/lakes/%d/edit/", lakes[0].ID)
	must := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("log in", chromedp.Navigate(site.URL+"/login/"),
		chromedp.SendKeys("#email", demo.AdminEmail), chromedp.SendKeys("#password", demo.Password),
		chromedp.Submit("#password"), chromedp.WaitVisible(`form[action="/logout/"]`))
	check := func(path string) {
		t.Helper()
		var bad []string
		var mainWidth int
		must(path, chromedp.Evaluate(phoneFit, &bad),
			chromedp.Evaluate(`document.querySelector("main").scrollWidth`, &mainWidth))
		for _, b := range bad {
			t.Errorf("%s at 390 px: %s", path, b)
		}
		if mainWidth > 390 {
			t.Errorf("%s at 390 px: the main column is %d px wide", path, mainWidth)
		}
	}
	for _, p := range []string{"/admin/lakes/", edit, "/admin/lakes/new/", "/admin/club/"} {
		must(p, chromedp.Navigate(site.URL+p), chromedp.WaitReady("body"))
		check(p)
	}
	// A refused ramp link: the message sits beside the field and still fits.
	must("refused ramp link", chromedp.Navigate(site.URL+edit),
		chromedp.SendKeys("#new-ramp-name", "Test ramp"),
		chromedp.SendKeys("#new-ramp-map", "https://evil.example/a-very-long-path/that/keeps/going/and/going"),
		chromedp.Submit("#new-ramp-name"), chromedp.WaitVisible("#new-ramp-map-error"))
	check(edit + " (refused)")
}
