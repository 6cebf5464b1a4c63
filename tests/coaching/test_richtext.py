"""The record of a session is cleaned to an allow-list by one function."""

from coaching.richtext import is_blank, sanitise


def test_scripts_handlers_and_dangerous_links_are_removed():
    cleaned = sanitise(
        '<p onclick="steal()">Hello <script>alert(1)</script><a href="javascript:steal()">x</a>'
        '<img src=x onerror=alert(1)><iframe src="https://evil.example"></iframe></p>'
    )
    assert "script" not in cleaned
    assert "onclick" not in cleaned
    assert "javascript" not in cleaned
    assert "<img" not in cleaned
    assert "iframe" not in cleaned
    assert cleaned.startswith("<p>Hello")


def test_allowed_formatting_and_safe_links_are_kept():
    cleaned = sanitise('<p><strong>Strong</strong> <em>em</em></p><ul><li>one</li></ul><a href="https://ex.org">l</a>')
    assert "<strong>Strong</strong>" in cleaned
    assert "<ul><li>one</li></ul>" in cleaned
    assert 'href="https://ex.org"' in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned


def test_plain_text_becomes_paragraphs_and_keeps_its_own_angle_brackets():
    cleaned = sanitise("First paragraph.\n\nSecond, with 3 < 4.")
    assert cleaned == "<p>First paragraph.</p>\n\n<p>Second, with 3 &lt; 4.</p>"


def test_a_record_of_empty_markup_is_blank():
    assert is_blank("<p> </p><p>&nbsp;</p>")
    assert is_blank("")
    assert not is_blank("<p>Something</p>")
