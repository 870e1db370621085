package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"sabc/internal/demo"
	"sabc/internal/testutil"
)

// TestBrowserSeasonPagesFitA390pxPhone: the officer's seasons list, a
// season's rules editor and a schedule preview at 390 px — nothing wider
// than the phone, no table cell hidden or off screen (phoneFit). With
// SABC_SCREENSHOTS the editor and the preview are saved for the docs.
func TestBrowserSeasonPagesFitA390pxPhone(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	ctx := browser(t)
	if _, err := site.Store.CreateSeasonFrom(context.Background(), 0, 2027); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(site.URL+"/login/"),
		chromedp.SendKeys("#email", demo.OfficerEmail), chromedp.SendKeys("#password", demo.Password),
		chromedp.Submit("#password"), chromedp.WaitVisible(`form[action="/logout/"]`)); err != nil {
		t.Fatalf("log in: %v", err)
	}
	for path, name := range map[string]string{"/admin/seasons/": "", "/": "", "/admin/seasons/2026/rules/": "season-rules",
		"/admin/seasons/2027/schedule/": "schedule-preview"} {
		if err := chromedp.Run(ctx, chromedp.Navigate(site.URL+path), chromedp.WaitReady("main h1")); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if name != "" {
			shot(t, ctx, name+"-390.png")
		}
		var bad []string
		if err := chromedp.Run(ctx, chromedp.Evaluate(phoneFit, &bad)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, b := range bad {
			t.Errorf("%s at 390 px: %s", path, b)
		}
	}
}
