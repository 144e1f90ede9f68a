"""A scenario question's prompt is the situation, then the question asked about it."""

import re

LAST_QUESTION = re.compile(r"^(?P<scenario>.*[.!?…])\s+(?P<question>[^.!?…]*\?)\s*$", re.DOTALL)


def split_prompt(prompt: str) -> tuple[str, str]:
    """(situation, question): the question is the prompt's last sentence when it asks something, else the whole
    prompt is the question (an editor's prompt that is only a question has no situation to show)."""
    match = LAST_QUESTION.match(prompt.strip())
    if match is None:
        return "", prompt.strip()
    return match.group("scenario"), match.group("question")


FIRST_SENTENCE = re.compile(r"^.*?[.!?…](?=\s|$)", re.DOTALL)


def first_sentence(prompt: str) -> str:
    """What a scenario is called where it is listed (question statistics): its opening sentence, in full."""
    text = " ".join(prompt.split())
    match = FIRST_SENTENCE.match(text)
    return match.group(0) if match else text
