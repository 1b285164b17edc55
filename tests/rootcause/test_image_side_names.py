"""Which parameter names are an image's side (the image-size root cause blames a default only under such a name):
camelCase is split before lowercasing, and a name with a channel, feature or kernel word is never one (code review
20, finding 7)."""
import pytest

from shapelint.rootcause.causes.widths import _names_an_image_side


@pytest.mark.parametrize("name", ["H", "W", "img_w", "imgH", "imageWidth", "image_size", "input_height", "img_size",
                                  "IMG_SIZE", "crop_size", "resolution", "height", "in_h"])
def test_a_side(name):
    assert _names_an_image_side(name)


@pytest.mark.parametrize("name", ["kernel_size", "img_channels", "image_dim", "img_feat_dim", "width", "in_channels",
                                  "size", "embed_dim", "patch_size", "input_size", "img", "image", "hidden_size"])
def test_not_a_side(name):
    assert not _names_an_image_side(name)
