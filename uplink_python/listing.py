"""Lazy listings: ``Project.iter_objects`` and ``Project.iter_buckets`` yield items as the satellite's pages
arrive, in constant memory, and raise if the listing fails part-way (after the items already yielded).

The documented ``list_objects``/``list_buckets`` keep returning lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, Optional

from ._c import args as _args, convert as _convert, native as _native
from ._c.native import lib
from ._c.handle import IteratorFunctions, LazyIterator
from .module_classes import Bucket, ListBucketsOptions, ListObjectsOptions, Object

if TYPE_CHECKING:
    from .project import Project


def iter_objects(project: "Project", bucket_name: str,
                 list_object_options: Optional[ListObjectsOptions] = None) -> Iterator[Object]:
    """Objects of a bucket, one at a time (see ``Project.iter_objects``)."""
    name = _args.text(bucket_name, "bucket_name")
    options = _convert.list_objects_options_to_c(list_object_options)
    with project._call() as handle:
        iterator = lib().uplink_list_objects(handle, name, options)
    library = lib()
    # A page per call where the library has it (ours); an upstream library's iterator item by item.
    paged = _native.has_function("upy_object_iterator_next_array")
    functions = IteratorFunctions("object", library.uplink_object_iterator_next, library.uplink_object_iterator_item,
                                  library.uplink_object_iterator_err, library.uplink_free_object_iterator,
                                  library.uplink_free_object,
                                  library.upy_object_iterator_next_array if paged else None,
                                  library.upy_free_object_array if paged else None)
    objects = LazyIterator(iterator, functions, _convert.object_from_c, keep_alive=(project, options),
                           convert_page=_convert.objects_from_c_array)
    project._adopt(objects)  # closing the project frees it
    return objects


def iter_buckets(project: "Project", list_bucket_options: Optional[ListBucketsOptions] = None) -> Iterator[Bucket]:
    """The project's buckets, one at a time (see ``Project.iter_buckets``)."""
    options = _convert.list_buckets_options_to_c(list_bucket_options)
    with project._call() as handle:
        iterator = lib().uplink_list_buckets(handle, options)
    library = lib()
    functions = IteratorFunctions("bucket", library.uplink_bucket_iterator_next, library.uplink_bucket_iterator_item,
                                  library.uplink_bucket_iterator_err, library.uplink_free_bucket_iterator,
                                  library.uplink_free_bucket)
    buckets = LazyIterator(iterator, functions, _convert.bucket_from_c, keep_alive=(project, options))
    project._adopt(buckets)  # closing the project frees it
    return buckets


__all__ = ["iter_objects", "iter_buckets"]
