from cetate.directory.catalogue import choosable_categories, grouped, search_categories


def test_search_ignores_accents_and_case(city):
    assert search_categories("groapa") == [city.pothole]
    assert search_categories("GROAPĂ carosa") == [city.pothole]


def test_search_matches_english_names_group_names_and_word_beginnings(city):
    assert search_categories("lamp") == [city.lamp]
    assert search_categories("ilum") == [city.lamp]  # the group "Iluminat"
    assert search_categories("stal sti") == [city.lamp]


def test_search_finds_nothing_for_unknown_words_and_everything_for_nothing(city):
    assert search_categories("elefant") == []
    assert set(search_categories("")) == {city.pothole, city.lamp, city.noise}


def test_groups_are_not_choosable_and_inactive_categories_are_hidden(city):
    city.noise.is_active = False
    city.noise.save()
    assert set(choosable_categories()) == {city.pothole, city.lamp}
    labels = [label for label, _members in grouped(choosable_categories())]
    assert sorted(labels) == ["Lighting", "Roads"]  # in the reader's language
