"""Unit tests for `bot.core.stories`: which copy of a story is canonical, which alerts survive."""

from __future__ import annotations

from bot.core.models import ItemRecord, OutboxRow, own_key
from bot.core.stories import assign_stories, file_alerts, stories_of


def rec(key: str, *extra_keys: str) -> ItemRecord:
    """A record whose story keys are its own key followed by `extra_keys` (as `story_keys` builds them)."""
    return ItemRecord(
        key=key,
        feed_id="feed-" + key,
        uid="uid-" + key,
        title="عنوان " + key,
        link=None,
        published=None,
        breaking=True,
        reason="title_prefix",
        story_keys=(own_key(key), *extra_keys),
    )


def alert(item_key: str, chat_id: int) -> OutboxRow:
    return OutboxRow(item_key=item_key, chat_id=chat_id, html=f"<b>{item_key}</b>", topics=("غزة",))


# --- assign_stories -------------------------------------------------------------


def test_new_record_is_fresh_and_canonical_to_itself() -> None:
    a = rec("a", "link:1", "title:1")

    plan = assign_stories([a], {})

    assert plan.fresh == (a,)
    assert plan.canonical == {"a": "a"}
    assert plan.new_keys == {own_key("a"): "a", "link:1": "a", "title:1": "a"}


def test_record_whose_own_key_is_known_is_not_fresh() -> None:
    a = rec("a", "link:1")

    plan = assign_stories([a], {own_key("a"): "a", "link:1": "a"})

    assert plan.fresh == ()
    assert "a" not in plan.canonical
    assert plan.new_keys == {}


def test_copy_sharing_a_known_link_key_is_filed_under_the_first_item() -> None:
    second = rec("b", "link:1", "title:2")

    plan = assign_stories([second], {own_key("a"): "a", "link:1": "a"})

    assert plan.fresh == (second,)
    assert plan.canonical == {"b": "a"}
    # Only keys not known yet are added, and they point at the first item.
    assert plan.new_keys == {own_key("b"): "a", "title:2": "a"}
    assert "link:1" not in plan.new_keys


def test_copy_sharing_a_title_key_is_filed_under_the_first_item() -> None:
    plan = assign_stories([rec("b", "link:2", "title:1")], {"title:1": "a"})

    assert plan.canonical == {"b": "a"}


def test_two_copies_of_one_story_in_the_same_batch() -> None:
    first = rec("a", "link:1", "title:1")
    second = rec("b", "link:2", "title:1")

    plan = assign_stories([first, second], {})

    assert plan.fresh == (first, second)
    assert plan.canonical == {"a": "a", "b": "a"}
    assert plan.new_keys["title:1"] == "a"
    assert plan.new_keys["link:2"] == "a"
    assert plan.new_keys[own_key("b")] == "a"


def test_unrelated_records_in_one_batch_keep_their_own_stories() -> None:
    plan = assign_stories([rec("a", "link:1"), rec("b", "link:2")], {})

    assert plan.canonical == {"a": "a", "b": "b"}


def test_same_record_twice_in_one_batch_is_fresh_once() -> None:
    a = rec("a", "link:1")

    plan = assign_stories([a, a], {})

    assert plan.fresh == (a,)


def test_assign_stories_does_not_mutate_known() -> None:
    known = {"link:1": "a"}
    assign_stories([rec("b", "link:1", "title:9")], known)
    assert known == {"link:1": "a"}


# --- file_alerts / stories_of ---------------------------------------------------


def test_file_alerts_refiles_under_the_canonical_item() -> None:
    out = file_alerts([alert("b", 1)], {"b": "a"}, set())

    assert [(a.item_key, a.chat_id) for a in out] == [("a", 1)]
    assert out[0].html == "<b>b</b>"  # the copy's own rendering is kept
    assert out[0].topics == ("غزة",)


def test_file_alerts_drops_chats_that_already_have_the_story() -> None:
    taken = {("a", 1)}

    out = file_alerts([alert("b", 1), alert("b", 2)], {"b": "a"}, taken)

    assert [(a.item_key, a.chat_id) for a in out] == [("a", 2)]
    assert taken == {("a", 1)}  # the caller's set is left alone


def test_file_alerts_dedupes_within_the_batch() -> None:
    alerts = [alert("a", 1), alert("a", 2), alert("b", 2), alert("b", 3)]

    out = file_alerts(alerts, {"a": "a", "b": "a"}, set())

    assert [(a.item_key, a.chat_id) for a in out] == [("a", 1), ("a", 2), ("a", 3)]


def test_file_alerts_keeps_the_same_chat_for_different_stories() -> None:
    out = file_alerts([alert("a", 1), alert("c", 1)], {"a": "a", "c": "c"}, set())

    assert [(a.item_key, a.chat_id) for a in out] == [("a", 1), ("c", 1)]


def test_alerts_of_records_that_are_not_fresh_are_dropped() -> None:
    old, new = rec("old", "link:1"), rec("new", "link:2")
    plan = assign_stories([old, new], {own_key("old"): "old"})

    out = file_alerts([alert("old", 1), alert("new", 1)], plan.canonical, set())

    assert [(a.item_key, a.chat_id) for a in out] == [("new", 1)]


def test_stories_of_names_canonical_stories_only() -> None:
    canonical = {"a": "a", "b": "a", "c": "c"}

    assert stories_of([alert("a", 1), alert("b", 2), alert("c", 3), alert("gone", 4)], canonical) == {"a", "c"}
    assert stories_of([], canonical) == set()


def test_plan_then_file_end_to_end() -> None:
    """A second feed's copy reaches a chat the first copy missed, and nobody twice."""
    plan = assign_stories([rec("b", "link:1")], {own_key("a"): "a", "link:1": "a"})
    taken = {("a", 1)}  # chat 1 already got the first copy
    assert stories_of([alert("b", 1), alert("b", 2)], plan.canonical) == {"a"}

    out = file_alerts([alert("b", 1), alert("b", 2)], plan.canonical, taken)

    assert [(a.item_key, a.chat_id) for a in out] == [("a", 2)]
