package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"sabc/internal/demo"
	"sabc/internal/testutil"
)

// mainFit lists what sticks out of a 390 px viewport inside <main> (the
// page's own content; the site header is the layout's, checked elsewhere).
const mainFit = `(() => {
  const vw = window.innerWidth, bad = [];
  document.querySelectorAll("main *").forEach(el => {
    if (el.closest(".sr")) return;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > vw + 1 || r.left < -1)) bad.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " at " + Math.round(r.left) + "–" + Math.round(r.right) + " px");
  });
  return [...new Set(bad)].slice(0, 12);
})()`

// TestBrowserOfficerEventPagesFitA390pxPhone: the event list, event and
// tournament forms (also with their refusals shown) and the delete
// confirmation need no sideways scrolling on a phone: nothing in the page's
// content sticks out of the viewport, and no table is wider than its box.
func TestBrowserOfficerEventPagesFitA390pxPhone(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	ctx := browser(t)
	if err := chromedp.Run(ctx, chromedp.Navigate(site.URL+"/login/"),
		chromedp.SendKeys("#email", demo.OfficerEmail), chromedp.SendKeys("#password", demo.Password),
		chromedp.Submit("#password"), chromedp.WaitVisible(`form[action="/logout/"]`)); err != nil {
		t.Fatalf("log in: %v", err)
	}
	for _, path := range []string{"/admin/events/?year=2026", "/admin/events/new/", "/admin/events/1/edit/",
		"/admin/tournaments/new/", "/admin/tournaments/34/edit/", "/admin/tournaments/34/delete/"} {
		if err := chromedp.Run(ctx, chromedp.Navigate(site.URL+path), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if strings.HasSuffix(path, "/edit/") || strings.HasSuffix(path, "/new/") {
			// Submit it emptied, so every refusal is shown too.
			var ok bool
			if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => { const d = document.querySelector("main form [name=date]");
				d.value = ""; d.form.submit(); return true })()`, &ok), chromedp.WaitVisible(".form-errors")); err != nil {
				t.Fatalf("%s refused: %v", path, err)
			}
		}
		shot(t, ctx, "officer-"+strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(strings.Trim(path, "/"))+"-390.png")
		var bad []string
		var tables []string
		if err := chromedp.Run(ctx, chromedp.Evaluate(mainFit, &bad), chromedp.Evaluate(phoneFit, &tables)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, b := range tables {
			if strings.HasPrefix(b, "table") {
				bad = append(bad, b)
			}
		}
		for _, b := range bad {
			t.Errorf("%s at 390 px: %s", path, b)
		}
	}
}
