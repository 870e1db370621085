package web_test

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"sabc/internal/demo"
	"sabc/internal/ratelimit"
	"sabc/internal/testutil"
	"sabc/internal/web"
)

func TestCrossSitePostIsRefused(t *testing.T) {
	site := newAcctSite(t)
	form := url.Values{"email": {demo.MemberEmail}, "password": {demo.Password}}.Encode()
	for name, hdr := range map[string][2]string{
		"Sec-Fetch-Site cross-site": {"Sec-Fetch-Site", "cross-site"},
		"foreign Origin":            {"Origin", "https://evil.example"},
	} {
		req, _ := http.NewRequest(http.MethodPost, site.URL+"/login/", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(hdr[0], hdr[1])
		r := acctDo(t, site.Client(), req)
		if r.status != http.StatusForbidden || !strings.Contains(r.body, "sent from another website") {
			t.Errorf("%s: %d, want 403 with an explanation", name, r.status)
		}
		if r.header.Get("Content-Security-Policy") == "" || r.header.Get("Set-Cookie") != "" {
			t.Errorf("%s: the refusal lacks security headers or logs someone in", name)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, site.URL+"/login/", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if r := acctDo(t, site.Client(), req); r.status != http.StatusSeeOther {
		t.Errorf("same-origin login: %d, want 303", r.status)
	}
	req, _ = http.NewRequest(http.MethodGet, site.URL+"/login/", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site") // following a link from elsewhere is fine
	if r := acctDo(t, site.Client(), req); r.status != http.StatusOK {
		t.Errorf("cross-site GET: %d, want 200", r.status)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	for _, env := range []string{"development", "production"} {
		site := newAcctSite(t, func(d *web.Deps) { d.Config.Env = env })
		r := acctPost(t, site.Client(), site.URL+"/login/", url.Values{"email": {demo.MemberEmail}, "password": {demo.Password}})
		c := r.header.Get("Set-Cookie")
		if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") || !strings.Contains(c, "Max-Age=") {
			t.Errorf("%s: session cookie %q lacks HttpOnly, SameSite=Lax or an expiry", env, c)
		}
		if secure := strings.Contains(c, "; Secure"); secure != (env == "production") {
			t.Errorf("%s: cookie %q Secure=%v", env, c, secure)
		}
	}
}

// loginAttempt posts a failing login claiming to come from xff, for an
// unknown email of its own (so no per-email lockout is involved).
func loginAttempt(t *testing.T, site *testutil.Site, xff string) acctResp {
	email := "nobody-" + xff + "@example.org"
	req, _ := http.NewRequest(http.MethodPost, site.URL+"/login/",
		strings.NewReader(url.Values{"email": {email}, "password": {"guess guess guess"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	return acctDo(t, site.Client(), req)
}

func TestRateLimit_SpoofedForwardedForDoesNotResetTheLimit(t *testing.T) {
	site := newAcctSite(t, func(d *web.Deps) { d.Limiter = nil }) // the default: spec limits, in process
	for i := 1; i <= 5; i++ {
		if r := loginAttempt(t, site.Site, "203.0.113."+strconv.Itoa(i)); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: %d", i, r.status)
		}
	}
	r := loginAttempt(t, site.Site, "198.51.100.77")
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("6th login in 5 minutes from one peer: %d (Retry-After %q), want 429", r.status, r.header.Get("Retry-After"))
	}
	if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Content-Security-Policy") == "" {
		t.Error("the 429 lacks the security headers")
	}
}

func TestRateLimit_TrustedProxyForwardsTheClient(t *testing.T) {
	site := newAcctSite(t, func(d *web.Deps) { d.Limiter = nil; d.Config.TrustedProxies = "127.0.0.1, ::1" })
	for i := 1; i <= 8; i++ { // eight clients behind our proxy, one attempt each
		if r := loginAttempt(t, site.Site, "203.0.113."+strconv.Itoa(i)); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("client %d: %d, want 422 (each client has its own limit)", i, r.status)
		}
	}
}

func TestRateLimit_RedisIsSharedByInstances(t *testing.T) {
	redisURL := testutil.RedisURL(t)
	prefix := "sabc:test:" + rand.Text() + ":"
	limiter := func(d *web.Deps) {
		opt, err := redis.ParseURL(redisURL)
		if err != nil {
			t.Fatal(err)
		}
		client := redis.NewClient(opt)
		t.Cleanup(func() { client.Close() })
		l, err := ratelimit.NewRedis(client, ratelimit.RedisConfig{Prefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		d.Limiter = l
	}
	// Password-reset requests (5 an hour per client): login failures are
	// counted in the database instead, which replicas share by construction.
	a, b := newAcctSite(t, limiter), newAcctSite(t, limiter)
	reset := func(site *acctSite) int {
		return acctPost(t, site.Client(), site.URL+"/password-reset/", url.Values{"email": {"nobody@example.org"}}).status
	}
	for i, site := range []*acctSite{a, a, a, b, b} {
		if st := reset(site); st != http.StatusOK {
			t.Fatalf("reset request %d: %d", i+1, st)
		}
	}
	if st := reset(a); st != http.StatusTooManyRequests {
		t.Errorf("6th reset request across two instances: %d, want 429", st)
	}
}

// ---- uploads through the real endpoint ----

// upload posts a file as the "photo" field of the profile photo form.
func upload(t *testing.T, c *http.Client, u, filename string, data []byte) acctResp {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("photo", filename)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, u, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return acctDo(t, c, req)
}

// rotatedJPEG is a 200×100 picture, red on the left and blue on the right,
// whose EXIF says "rotate 90° clockwise to display" (orientation 6) and
// carries a GPS position, as phones write it.
func rotatedJPEG(t *testing.T) []byte {
	m := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for y := 0; y < 100; y++ {
		for x := 0; x < 200; x++ {
			c := color.RGBA{220, 20, 20, 255}
			if x >= 100 {
				c = color.RGBA{20, 20, 220, 255}
			}
			m.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	jpg := buf.Bytes()
	out := append([]byte{}, jpg[:2]...)
	out = append(out, exifSegment()...)
	return append(out, jpg[2:]...)
}

// exifSegment is an APP1 Exif block (big-endian TIFF): IFD0 with
// Orientation=6 and a GPS IFD pointer; the GPS IFD holds a latitude.
func exifSegment() []byte {
	be := binary.BigEndian
	var b bytes.Buffer
	w16 := func(v uint16) { binary.Write(&b, be, v) }
	w32 := func(v uint32) { binary.Write(&b, be, v) }
	b.WriteString("MM")
	w16(42)
	w32(8)
	w16(2) // IFD0 at 8: two entries, next IFD offset; ends at 38
	w16(0x0112)
	w16(3)
	w32(1)
	w16(6)
	w16(0) // Orientation = 6
	w16(0x8825)
	w16(4)
	w32(1)
	w32(38) // GPS IFD at 38
	w32(0)
	w16(2) // GPS IFD: latitude ref and latitude (rationals at 68)
	w16(0x0001)
	w16(2)
	w32(2)
	b.Write([]byte{'N', 0, 0, 0})
	w16(0x0002)
	w16(5)
	w32(3)
	w32(68)
	w32(0)
	for _, r := range [][2]uint32{{30, 1}, {15, 1}, {1234, 100}} {
		w32(r[0])
		w32(r[1])
	}
	body := append([]byte("Exif\x00\x00"), b.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	be.PutUint16(seg[2:], uint16(len(body)+2))
	return append(seg, body...)
}

// pngBomb claims 100000×100000 pixels in a valid header of a tiny file.
func pngBomb() []byte {
	chunk := func(typ string, data []byte) []byte {
		var c bytes.Buffer
		binary.Write(&c, binary.BigEndian, uint32(len(data)))
		c.WriteString(typ)
		c.Write(data)
		binary.Write(&c, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
		return c.Bytes()
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 100000)
	binary.BigEndian.PutUint32(ihdr[4:], 100000)
	ihdr[8], ihdr[9] = 8, 6
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, chunk("IHDR", ihdr)...)
	b = append(b, chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(b, chunk("IEND", nil)...)
}

func filesUnder(t *testing.T, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func TestPhotoUpload_RefusesBadFilesAndLeavesNothing(t *testing.T) {
	site := newAcctSite(t)
	c := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	me := acctPerson(t, site.Store, demo.MemberEmail)
	u := site.URL + "/anglers/" + strconv.FormatInt(me.ID, 10) + "/photo/"
	for _, f := range []struct {
		name, file string
		data       []byte
		status     int
		message    string
	}{
		{"png bomb", "huge.png", pngBomb(), http.StatusRequestEntityTooLarge, "100000×100000 pixels"},
		{"text renamed .jpg", "notes.jpg", []byte("Meet at the ramp at 5:30, bring the net.\n"), http.StatusUnsupportedMediaType, "not an image"},
		{"empty", "empty.jpg", nil, http.StatusUnsupportedMediaType, "the file is empty"},
	} {
		r := upload(t, c, u, f.file, f.data)
		if r.status != f.status || !strings.Contains(r.body, f.message) || !strings.Contains(r.body, `id="photo-error"`) {
			t.Errorf("%s: %d, want %d with %q\n%s", f.name, r.status, f.status, f.message, acctExcerpt(r.body))
		}
	}
	if files := filesUnder(t, site.Web.Config.MediaDir); len(files) > 0 {
		t.Errorf("refused uploads left files: %v", files)
	}
	if p := acctPerson(t, site.Store, demo.MemberEmail); p.AvatarKey != "" {
		t.Errorf("avatar set to %q by a refused upload", p.AvatarKey)
	}
}

func TestPhotoUpload_RotatedJPEGComesOutUprightSmallAndClean(t *testing.T) {
	site := newAcctSite(t, func(d *web.Deps) { d.Config.MaxImageWidth, d.Config.MaxImageHeight = 64, 64 })
	c := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	me := acctPerson(t, site.Store, demo.MemberEmail)
	r := upload(t, c, site.URL+"/anglers/"+strconv.FormatInt(me.ID, 10)+"/photo/", "IMG_0042.jpg", rotatedJPEG(t))
	if r.status != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if p := acctPerson(t, site.Store, demo.MemberEmail); p.AvatarKey == "" {
		t.Fatal("no avatar saved on the person")
	}
	var key string
	if err := site.Store.DB().QueryRow(`SELECT media_key FROM media WHERE person_id = $1 AND kind = 'avatar-original'`,
		me.ID).Scan(&key); err != nil {
		t.Fatal(err)
	}
	img := acctGet(t, site.Client(), site.URL+"/media/"+key)
	if img.status != http.StatusOK || img.header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("GET /media/%s: %d %s", key, img.status, img.header.Get("Content-Type"))
	}
	if bytes.Contains([]byte(img.body), []byte("Exif")) || bytes.Contains([]byte(img.body), []byte{0xFF, 0xE1}) {
		t.Error("the stored image still carries EXIF (and with it the GPS position)")
	}
	m, err := jpeg.Decode(strings.NewReader(img.body))
	if err != nil {
		t.Fatal(err)
	}
	b := m.Bounds()
	if b.Dx() > 64 || b.Dy() > 64 || b.Dy() <= b.Dx() {
		t.Fatalf("stored %d×%d: want portrait (upright) within 64×64", b.Dx(), b.Dy())
	}
	top, bottom := m.At(b.Dx()/2, b.Dy()/6), m.At(b.Dx()/2, b.Dy()*5/6)
	if !reddish(top) || reddish(bottom) {
		t.Errorf("top %v, bottom %v: want red on top, blue below (rotated clockwise)", top, bottom)
	}
}

func reddish(c color.Color) bool {
	r, _, b, _ := c.RGBA()
	return r > 2*b
}

// An admin (whose edits skip the officer checks) uploading for an id nobody
// has gets 404 and leaves no files.
func TestPhotoUpload_UnknownPersonLeavesNoFiles(t *testing.T) {
	site := newAcctSite(t)
	c := acctLogin(t, site.Site, demo.AdminEmail, demo.Password)
	r := upload(t, c, site.URL+"/anglers/99999999/photo/", "IMG_0042.jpg", rotatedJPEG(t))
	if r.status != http.StatusNotFound {
		t.Fatalf("upload for an unknown person: %d, want 404", r.status)
	}
	if files := filesUnder(t, site.Web.Config.MediaDir); len(files) > 0 {
		t.Errorf("the upload for nobody left files: %v", files)
	}
}
