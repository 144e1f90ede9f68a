"""Names that people and other systems choose (SCIM, a staff file, an editor) are text on every page, never markup.

Every name field is given an HTML tag, then every page of the access matrix is fetched as every role: the tag may
appear escaped, never as a tag. The import preview's department question is checked with the file HR met.
"""

import html

import pytest
from django.test import Client

from assessments.models import Option, Question
from directory.models import Department
from evidence.unlock import evidence_unlocked
from guidance.models import Principle
from portal.models import User

from ..directory.helpers import HEADER, upload_and_preview
from . import test_access_matrix
from .test_access_matrix import MATRIX, OWN, ROLES, _url

world = test_access_matrix.world  # the access matrix's people and records, used here as a fixture

pytestmark = pytest.mark.django_db

TAG = '<img src="x" id="injected">'
RAW = 'id="injected"'


def test_every_name_is_escaped_on_every_page(world):
    department = Department.objects.create(code="X<b>", name_en=f"Education {TAG}", name_cy=f"Addysg {TAG}")
    for person in User.objects.all():
        person.first_name, person.last_name, person.department = f"Ffion {TAG}", f"Jones {TAG}", department
        person.save()
    Principle.objects.update(name_en=f"Propriety {TAG}", name_cy=f"Priodoldeb {TAG}")
    world["draft"].sections.update(title_en=f"Introduction {TAG}", title_cy=f"Cyflwyniad {TAG}")
    Question.objects.update(prompt_en=f"A scenario {TAG}", prompt_cy=f"Senario {TAG}")
    Option.objects.update(text_en=f"An answer {TAG}", text_cy=f"Ateb {TAG}")
    with evidence_unlocked():  # a declared cycle's name is evidence: only the owner may change it
        world["open_attempt"].cycle.__class__.objects.update(name='<s id="injected">')  # 20 characters at most
    checked = 0
    for role_index, role in enumerate(ROLES):
        client = Client()
        if world["people"][role]:
            client.force_login(world["people"][role])
        for name, expected in MATRIX.items():
            if expected[role_index] not in (200, OWN) or name.startswith("scim:"):
                continue
            for url in (_url(name, world), _url(name, world).replace("/en/", "/cy/", 1)):
                response = client.get(url)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                assert RAW not in response.content.decode(), (role, name, url)
                checked += 1
    draft_page = Client()
    draft_page.force_login(world["people"]["editor"])
    contents = draft_page.get(_url("guidance:draft-contents", world)).content.decode()
    assert "Introduction &lt;img" in contents and RAW not in contents
    assert checked > 60


def test_a_department_name_from_scim_is_text_in_the_import_preview_question(client, hr):
    Department.objects.create(code="HSS", name_en="Small2 <b>dept</b>", name_cy="Bach2 <b>adran</b>")
    client.force_login(hr)
    data = (HEADER + "1001,ffion@gov.wales,Ffion,Jones,HLTH,Small2 <b>dept</b>,,,cy,yes\n").encode()
    _url_of_preview, page = upload_and_preview(client, data)
    assert "<b>dept</b>" not in page
    assert "Small2 <b>dept</b>" in html.unescape(page)
