"""What `make newpost` writes into a new post that the post must lose before it is
published: tools/newcontent.py writes these lines and rules.check_leftovers looks for them,
so the two cannot drift apart."""

# The first line of the comment listing the optional fields (the comment's own marker).
DRAFT_COMMENT = "This post is a draft: it is never published while the header says 'Status: draft'."
# The first line of the optional fields' explanation, in every comment make newpost,
# newauthor and newpartner write.
OPTIONAL_FIELDS = "Optional fields: to use one, copy its line into the header above (the lines"
# Lines that mark a comment as make newpost's.
COMMENT_MARKERS = (DRAFT_COMMENT, OPTIONAL_FIELDS)
# The body of a new post.
BODY_PLACEHOLDER = "Write the post here, in Markdown."
