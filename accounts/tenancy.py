"""The one place tenant data is fetched by id: another business's row answers 404."""

from typing import TypeVar

from django.db import models
from django.http import Http404

from accounts.models import Business

M = TypeVar("M", bound=models.Model)


def get_for_business(
    model_or_queryset: type[M] | models.QuerySet[M], business: Business, **lookup: object
) -> M:
    """Return the row matching `lookup` that belongs to `business`, else raise Http404.

    The model must have a `business` foreign key; rows of other businesses are
    indistinguishable from rows that do not exist.
    """
    if isinstance(model_or_queryset, models.QuerySet):
        queryset = model_or_queryset
    else:
        queryset = model_or_queryset._default_manager.all()
    try:
        return queryset.filter(business=business).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} found.") from exc
