"""`make publish` and the deploy targets, run for real in a temporary copy of the repository.

The copy leaves out .venv (symlinked in), output/ and .git; `STAMP=` tells make the
virtual environment is ready, so no test installs anything or touches the network.
"""

import os
import shutil
import stat
import subprocess

import pytest
from redirects.record import published_urls, read_record
from support import clean_env, copy_repository, post, run_make

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.test",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.test",
}


@pytest.fixture
def repo(tmp_path):
    """A working copy of the repository in a temporary folder."""
    return copy_repository(tmp_path / "repo")


def make(repo, *args, env=None):
    """Run `make ARGS` in `repo` with `env` added to the environment."""
    return run_make(repo, *args, env=clean_env(**(env or {})))


def recorded(repo):
    """The URLs in the copy's record."""
    return [url for _, url in read_record(repo / "content/published-urls.txt")]


def test_publish_adds_new_urls_to_the_record(repo):
    (repo / "content/posts/brand-new.md").write_text(
        post("Brand New Advice", Date="2014-06-02 09:00", Authors="maya-okafor", Tags="Networking"),
        encoding="utf-8",
    )
    before = recorded(repo)
    result = make(repo, "publish")
    assert result.returncode == 0, result.stderr
    after = recorded(repo)
    added = set(after) - set(before)
    assert {"/2014/06/brand-new-advice/", "/tag/networking/", "/feeds/tag/networking.rss.xml"} <= added
    assert set(after) == set(before) | set(published_urls(repo / "output"))
    assert after == sorted(after)
    assert f"content/published-urls.txt: {len(after)} published URLs, {len(added)} new" in result.stdout


def test_publish_and_check_refuse_a_move_without_an_alias(repo):
    post_file = repo / "content/posts/when-a-recruiter-calls.md"
    post_file.write_text(
        post_file.read_text(encoding="utf-8").replace("Slug: when-a-recruiter-calls", "Slug: when-recruiters-call"),
        encoding="utf-8",
    )
    record_before = (repo / "content/published-urls.txt").read_text(encoding="utf-8")
    expected = (
        "URL: /2014/02/when-a-recruiter-calls/ is no longer published; if content/posts/when-a-recruiter-calls.md"
        " is that post, give it Aliases: /2014/02/when-a-recruiter-calls/ (or Slug: when-a-recruiter-calls to"
        " keep it there); else write '/2014/02/when-a-recruiter-calls/ retired' on line 6 of"
        " content/published-urls.txt"
    )
    checked = make(repo, "check")
    assert checked.returncode != 0
    assert expected in checked.stdout
    published = make(repo, "publish")
    assert published.returncode != 0
    assert expected in published.stderr
    assert not (repo / "output").exists()
    assert (repo / "content/published-urls.txt").read_text(encoding="utf-8") == record_before


def test_check_runs_clean_on_the_real_content(repo):
    result = make(repo, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout


def test_deploy_rsync_mirrors_the_site_into_a_folder(repo, tmp_path):
    if shutil.which("rsync") is None:
        pytest.fail("rsync is missing: install it (`apt-get install -y rsync`)")
    target = tmp_path / "www"
    target.mkdir()
    (target / "stale.html").write_text("left from an old deploy", encoding="utf-8")
    result = make(repo, "deploy-rsync", f"RSYNC_TARGET={target}/")
    assert result.returncode == 0, result.stderr
    built = sorted(p.relative_to(repo / "output") for p in (repo / "output").rglob("*") if p.is_file())
    copied = sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file())
    assert copied == built
    assert (target / "2014/02/when-a-recruiter-calls/index.html").is_file()
    assert (target / "_redirects").is_file()
    assert not (target / "stale.html").exists()  # --delete
    assert "https://blog.youtern.example/" in (target / "index.html").read_text(encoding="utf-8")  # publishconf


def test_deploy_rsync_needs_a_target(repo):
    result = make(repo, "deploy-rsync")
    assert result.returncode != 0
    assert "Set RSYNC_TARGET, e.g. make deploy-rsync RSYNC_TARGET=user@host:/var/www/blog/" in result.stderr
    assert not (repo / "output").exists()  # it stopped before publishing


def fake_aws(folder):
    """An `aws` stand-in that records its arguments, one per line, in folder/aws.log."""
    script = folder / "aws"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{folder}/aws.log"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_deploy_s3_syncs_output_to_the_bucket_through_the_endpoint(repo, tmp_path):
    aws = fake_aws(tmp_path)
    result = make(repo, "deploy-s3", f"AWS={aws}", "S3_BUCKET=blog-bucket", "S3_ENDPOINT=https://s3.example.test")
    assert result.returncode == 0, result.stderr
    arguments = (tmp_path / "aws.log").read_text(encoding="utf-8").splitlines()
    assert arguments == [
        "s3",
        "sync",
        "output/",
        "s3://blog-bucket/",
        "--delete",
        "--endpoint-url",
        "https://s3.example.test",
    ]
    assert (repo / "output/index.html").is_file()  # it published first


def test_deploy_s3_explains_how_to_install_a_missing_cli(repo, tmp_path):
    result = make(repo, "deploy-s3", f"AWS={tmp_path}/no-such-aws", "S3_BUCKET=blog-bucket")
    assert result.returncode != 0
    assert "The AWS CLI is missing: install it with '.venv/bin/pip install awscli'" in result.stderr


def git(repo, *args):
    """Run git in `repo` with a fixed identity; return its stdout."""
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, env={**os.environ, **GIT_IDENTITY}, check=True
    ).stdout


def test_deploy_ghpages_pushes_the_site_to_the_gh_pages_branch(repo, tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(repo, "init", "--quiet")
    git(repo, "remote", "add", "origin", str(remote))
    result = make(repo, "deploy-ghpages", env=GIT_IDENTITY)
    assert result.returncode == 0, result.stderr
    files = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert ".nojekyll" in files  # or GitHub's Jekyll would drop _redirects and friends
    assert {"index.html", "_redirects", "2014/02/when-a-recruiter-calls/index.html"} <= set(files)
    assert git(remote, "log", "-1", "--format=%s", "gh-pages").startswith("Publish")
