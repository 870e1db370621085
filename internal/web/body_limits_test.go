package web_test

import (
	"bytes"
	"crypto/rand"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"sabc/internal/demo"
	"sabc/internal/testutil"
)

// multipartPost is a form post carrying fields and one file part (field
// file) of size random bytes. Past the in-memory share a handler gives
// ParseMultipartForm (32 MB through PostFormValue, 1 MB for the photo), the
// file is spooled to a multipart-* temporary file.
func multipartPost(t *testing.T, u string, fields map[string]string, file string, size int) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile(file, "IMG_0042.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(fw, rand.Reader, int64(size)); err != nil {
		t.Fatal(err)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, u, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

// tempDirFiles lists what the server left in the temporary directory.
func tempDirFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// A multipart body sent to a form that takes no upload is refused before it
// is read, so no temporary file is created — and none is left behind.
func TestMultipartPostToAFormWithoutUploadIsRefusedAndLeavesNoTempFile(t *testing.T) {
	tmp := t.TempDir()
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()})
	member := acctLogin(t, site, demo.MemberEmail, demo.Password)
	t.Setenv("TMPDIR", tmp) // os.TempDir, where multipart spools files, reads it on every call
	const size = 40 << 20
	for _, c := range []struct {
		name   string
		client *http.Client
		path   string
		fields map[string]string
	}{
		{"poll vote", member, demoPoll + "vote/", map[string]string{"option": "1"}},
		{"login", site.Client(), "/login/", map[string]string{"email": demo.MemberEmail, "password": demo.Password}},
	} {
		r := acctDo(t, c.client, multipartPost(t, site.URL+c.path, c.fields, "junk", size))
		if r.status != http.StatusUnsupportedMediaType || !strings.Contains(r.body, "takes no file") {
			t.Errorf("%s: multipart post answered %d, want 415 saying the form takes no file\n%s",
				c.name, r.status, acctExcerpt(r.body))
		}
		if left := tempDirFiles(t, tmp); len(left) > 0 {
			t.Errorf("%s: the temporary directory holds %v after the request", c.name, left)
		}
	}
}

// An url-encoded form larger than any form of the site is cut off while it
// is read and answered 413 with a message, not parsed as an empty form.
func TestOversizeFormBodyIsRefusedWith413(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()})
	body := url.Values{"email": {demo.MemberEmail}, "password": {strings.Repeat("x", 1<<20)}}
	r := acctPost(t, site.Client(), site.URL+"/login/", body)
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "too large") {
		t.Errorf("1 MB login form: %d, want 413 saying the form is too large\n%s", r.status, acctExcerpt(r.body))
	}
}

// The upload route does take multipart: a file past the in-memory share is
// spooled to disk while it is read, and removed when the request ends,
// whether the upload is refused as too large or as not an image.
func TestPhotoUploadRemovesItsTemporaryFiles(t *testing.T) {
	tmp := t.TempDir()
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()})
	member := acctLogin(t, site, demo.MemberEmail, demo.Password)
	u := site.URL + "/anglers/" + strconv.FormatInt(acctPerson(t, site.Store, demo.MemberEmail).ID, 10) + "/photo/"
	t.Setenv("TMPDIR", tmp)
	for _, c := range []struct {
		name   string
		size   int
		status int
	}{
		{"3 MB of noise", 3 << 20, http.StatusUnsupportedMediaType},
		{"40 MB, over the upload limit", 40 << 20, http.StatusRequestEntityTooLarge},
	} {
		r := acctDo(t, member, multipartPost(t, u, nil, "photo", c.size))
		if r.status != c.status {
			t.Errorf("%s: %d, want %d\n%s", c.name, r.status, c.status, acctExcerpt(r.body))
		}
		if left := tempDirFiles(t, tmp); len(left) > 0 {
			t.Errorf("%s: the temporary directory holds %v after the request", c.name, left)
		}
	}
}
