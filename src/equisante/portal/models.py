"""The data version: one number bumped after every committed write to the product's data, read by the
page cache (:mod:`equisante.portal.caching`) so that no cached page outlives the data it shows."""

from django.db import models


class DataVersion(models.Model):
    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "version des données"
