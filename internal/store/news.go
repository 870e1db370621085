package store

import (
	"context"
	"database/sql"
	"time"

	"sabc/internal/cache"
	"sabc/internal/club"
)

// CreateNews inserts a news post.
func (s *Store) CreateNews(ctx context.Context, n club.News) (int64, error) {
	id, err := insertID(ctx, s.write, `INSERT INTO news (title, body_md, publish_at, author_id, created_at)
		VALUES ($1, $2, $3, $4, $5)`, n.Title, n.BodyMD, n.PublishAt.UTC(), nullID(n.AuthorID), s.Now())
	if err == nil {
		s.wrote(ctx, cache.NewsWrite()...)
	}
	return id, err
}

// News lists posts published at or before now, newest first.
func (s *Store) News(ctx context.Context, now time.Time, limit int) ([]club.News, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, title, body_md, publish_at, COALESCE(author_id, 0), emailed_at
		FROM news WHERE publish_at <= $1 ORDER BY publish_at DESC, id DESC LIMIT $2`, now.UTC(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []club.News
	for rows.Next() {
		var n club.News
		var emailed sql.NullTime
		if err := rows.Scan(&n.ID, &n.Title, &n.BodyMD, &n.PublishAt, &n.AuthorID, &emailed); err != nil {
			return nil, err
		}
		if emailed.Valid {
			n.EmailedAt = &emailed.Time
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
